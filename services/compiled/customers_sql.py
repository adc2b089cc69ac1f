"""The SQL of a compiled customers page: one statement that builds the whole `data` JSON in
PostgreSQL (json_build_object / json_agg) under the request's row-level security, and the
operation's actual cost beside it.

It answers exactly what the resolvers answer: the keyset page of dbschema/queries/customers.py
(same filter, sort keys and seek), global ids and row cursors encoded as schema/relay.py
encodes them, partners in the dossier's link order, and completeness graded by the rule of
domain/credit_file.py re-expressed set-wise (tests/services/test_completeness_sql.py holds
the two together on generated dossiers). ANSWERS lists what it can build; the compiler plans
nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from dbschema.queries.credit_files import PRESENT_COLUMNS
from domain.dates import EARLIEST, LATEST
from services.compiled.dossier_sql import DATED_ITEMS
from services.compiled.dossier_sql import literal as _lit
from services.compiled.plan import DataPlan, Pick

#: The fields this builder answers, per GraphQL type (`__typename` everywhere besides).
ANSWERS: dict[str, frozenset[str]] = {
    "Query": frozenset({"customers"}),
    "CustomerConnection": frozenset({"edges", "nodes", "pageInfo", "totalCount"}),
    "CustomerEdge": frozenset({"cursor", "node"}),
    "PageInfo": frozenset({"hasNextPage", "hasPreviousPage", "startCursor", "endCursor"}),
    "Customer": frozenset(
        {
            "id",
            "code",
            "legalName",
            "country",
            "registrationNumber",
            "industry",
            "status",
            "foundedOn",
            "salesperson",
            "version",
            "businessModel",
            "ratingClass",
            "paymentTermsCode",
            "creditFile",
        }
    ),
    "CreditFile": frozenset({"companyHistory", "lastReviewedOn", "completeness", "partners"}),
    "Completeness": frozenset({"ratio", "missing"}),
    "MissingItem": frozenset({"key", "reason", "asOf"}),
    "Partner": frozenset({"id", "kind", "note", "relatedId", "relatedCode", "relatedName"}),
}
#: json_build_object takes at most 100 arguments: 50 keys per object.
MAX_KEYS = 50
#: Customer fields read straight from a column (text, dates and integers as JSON has them).
CUSTOMER_COLUMNS = {
    "code": "code",
    "legalName": "legal_name",
    "country": "country",
    "registrationNumber": "registration_number",
    "industry": "industry",
    "status": "status",
    "foundedOn": "founded_on",
    "salesperson": "salesperson",
    "version": "version",
    "businessModel": "business_model",
    "ratingClass": "rating_class",
    "paymentTermsCode": "payment_terms_code",
}
#: The sort key of each order, as the name index and dbschema/queries/customers.py hold it.
SORT_KEYS = {
    "NAME": "customer_name_key({t}.legal_name)",
    "CODE": "{t}.code",
    "CREATED": "{t}.created_at",
}
#: dbschema/queries/customers.py's SEARCH_TEXT, on a table alias `{t}`.
SEARCH_TEXT = (
    "lower({t}.legal_name || ' ' || {t}.code || ' ' || coalesce({t}.registration_number, ''))"
)
#: Python's str.strip() whitespace among what a policy key may hold.
_BLANKS = "E' \\t\\n\\r\\x0b\\x0c'"


@dataclass(frozen=True, slots=True)
class Variant:
    """What changes a page's statement besides its selection: one statement per variant."""

    order: str
    descending: bool
    backward: bool
    cursor: bool
    text: bool
    industry: bool
    status: bool


def global_id(type_name: str, column: str) -> str:
    """schema/relay.to_global_id in SQL: urlsafe base64 of `Type:uuid`, padded."""
    return (
        f"translate(encode(convert_to('{type_name}:' || {column}::text, 'UTF8'), 'base64'), "
        "'+/', '-_')"
    )


def row_cursor(column: str) -> str:
    """schema/relay.row_cursor in SQL: the id's 16 bytes, urlsafe base64, unpadded."""
    return f"rtrim(translate(encode(uuid_send({column}), 'base64'), '+/', '-_'), '=')"


def _object(parts: list[str]) -> str:
    if len(parts) > 2 * MAX_KEYS:  # a key and its value each
        raise ValueError(f"an object of more than {MAX_KEYS} keys")
    return f"json_build_object({', '.join(parts)})" if parts else "json_build_object()"


def _sum(terms: list[str]) -> str:
    kept = [t for t in terms if t != "0"]
    return " + ".join(kept) if kept else "0"


class Builder:
    """Builds one variant's statement; `params` names its $n parameters in order."""

    def __init__(self, variant: Variant) -> None:
        self.variant = variant
        self.params: list[str] = []
        self.froms: list[str] = []
        self.count = 0
        self.policy = False

    def param(self, name: str, cast: str) -> str:
        if name not in self.params:
            self.params.append(name)
        return f"${self.params.index(name) + 1}::{cast}"

    def alias(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    # the statement

    def statement(self, plan: DataPlan) -> str:
        parts: list[str] = []
        costs: list[str] = []
        for pick in plan.root:
            if pick.name == "__typename":
                parts += [_lit(pick.key), "'Query'"]
            else:
                json, cost = self.connection(pick)
                parts += [_lit(pick.key), json]
                costs.append(cost)
        ctes = [self.fetched(), self.rows()]
        if self.policy:
            ctes.append(self.policy_cte())
        froms = f" FROM {', '.join(self.froms)}" if self.froms else ""
        return (
            f"WITH {', '.join(ctes)} SELECT convert_to({_object(parts)}::text, 'UTF8') AS data, "
            f"({_sum(costs)})::bigint AS cost{froms}"
        )

    def conditions(self, table: str) -> list[str]:
        v = self.variant
        out = []
        if v.text:
            pattern = self.param("text", "text")
            out.append(f"{SEARCH_TEXT.format(t=table)} LIKE {pattern} ESCAPE '\\'")
        if v.industry:
            out.append(f"{table}.industry = {self.param('industry', 'text')}")
        if v.status:
            out.append(f"{table}.status = {self.param('status', 'text')}")
        return out

    def _direction(self) -> str:
        v = self.variant
        return "DESC" if v.descending != v.backward else "ASC"

    def fetched(self) -> str:
        """The size + 1 rows beyond the cursor in paging order (keyset.paged's)."""
        v = self.variant
        sort = SORT_KEYS[v.order].format(t="c")
        where = self.conditions("c")
        if v.cursor:
            cursor = self.param("cursor", "uuid")
            key = SORT_KEYS[v.order].format(t="s")
            bound = f"(SELECT {key} FROM customers s WHERE s.id = {cursor})"
            op = ">" if v.descending == v.backward else "<"
            where.append(f"({sort}, c.id) {op} ({bound}, {cursor})")
        direction = self._direction()
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        return (
            f"fetched AS MATERIALIZED (SELECT c.*, {sort} AS sort_key FROM customers c{clause} "
            f"ORDER BY {sort} {direction}, c.id {direction} LIMIT {self.param('limit', 'int')})"
        )

    def rows(self) -> str:
        """The page's rows numbered in paging order (`n`), without the one beyond."""
        direction = self._direction()
        return (
            "rows AS (SELECT * FROM (SELECT f.*, row_number() OVER (ORDER BY f.sort_key "
            f"{direction}, f.id {direction}) AS n FROM fetched f) z "
            f"WHERE z.n <= {self.param('size', 'int')})"
        )

    def policy_cte(self) -> str:
        """The tenant's checklist (or the default), keys in their one spelling, and each
        item's staleness cutoff on the day graded (domain.dates.shift, clamped)."""
        as_of = self.param("as_of", "date")
        default = self.param("default_policy", "text") + "::jsonb"
        key = (
            f"upper(regexp_replace(btrim(e.item ->> 'key', {_BLANKS}), "
            "'([a-z0-9])([A-Z])', '\\1_\\2', 'g'))"
        )
        cutoff = (
            "CASE WHEN e.item ->> 'maxAgeDays' IS NOT NULL THEN "
            f"least(greatest({as_of} - (e.item ->> 'maxAgeDays')::int, "
            f"DATE '{EARLIEST.isoformat()}'), DATE '{LATEST.isoformat()}') END"
        )
        return (
            f"policy AS MATERIALIZED (SELECT e.ord, {key} AS key, {cutoff} AS cutoff "
            "FROM jsonb_array_elements(coalesce((SELECT t.settings -> 'creditFilePolicy' "
            "FROM tenants t WHERE jsonb_typeof(t.settings -> 'creditFilePolicy') = 'array' "
            f"AND jsonb_array_length(t.settings -> 'creditFilePolicy') > 0), {default})) "
            "WITH ORDINALITY AS e(item, ord))"
        )

    # the connection

    def connection(self, pick: Pick) -> tuple[str, str]:
        parts: list[str] = []
        costs = [str(pick.once)]
        for child in pick.children:
            parts.append(_lit(child.key))
            if child.name == "__typename":
                parts.append("'CustomerConnection'")
            elif child.name in ("edges", "nodes"):
                alias = self.alias("e")
                self.froms.append(self.row_list(child, alias))
                parts.append(f"{alias}.j")
                costs.append(f"{alias}.c")
            elif child.name == "totalCount":
                where = self.conditions("t")
                clause = f" WHERE {' AND '.join(where)}" if where else ""
                parts.append(f"(SELECT count(*) FROM customers t{clause})")
            else:  # pageInfo
                parts.append(self.page_info(child))
                costs.append(str(child.once))
        return _object(parts), _sum(costs)

    def page_info(self, pick: Pick) -> str:
        v = self.variant
        more = f"((SELECT count(*) FROM fetched) > {self.param('size', 'int')})"
        given = "true" if v.cursor else "false"
        first, last = ("ASC", "DESC") if not v.backward else ("DESC", "ASC")
        edge = f"(SELECT {row_cursor('r.id')} FROM rows r ORDER BY r.n {{}} LIMIT 1)"
        values = {
            "hasNextPage": given if v.backward else more,
            "hasPreviousPage": more if v.backward else given,
            "startCursor": edge.format(first),
            "endCursor": edge.format(last),
            "__typename": "'PageInfo'",
        }
        parts: list[str] = []
        for child in pick.children:
            parts += [_lit(child.key), values[child.name]]
        return _object(parts)

    def row_list(self, pick: Pick, alias: str) -> str:
        """The page's rows in list order as edges (or nodes), with their cost."""
        laterals: list[str] = []
        if pick.name == "edges":
            json, cost = self.edge(pick, laterals)
        else:
            json, cost = self.customer(pick, laterals)
        order = "DESC" if self.variant.backward else "ASC"
        return (
            f"(SELECT coalesce(json_agg({json} ORDER BY r.n {order}), '[]'::json) AS j, "
            f"{pick.once} + {pick.item} * count(*) + coalesce(sum({cost}), 0) AS c "
            f"FROM rows r{''.join(laterals)}) AS {alias}"
        )

    def edge(self, pick: Pick, laterals: list[str]) -> tuple[str, str]:
        parts: list[str] = []
        costs: list[str] = []
        for child in pick.children:
            parts.append(_lit(child.key))
            if child.name == "__typename":
                parts.append("'CustomerEdge'")
            elif child.name == "cursor":
                parts.append(row_cursor("r.id"))
            else:  # node
                json, cost = self.customer(child, laterals)
                parts.append(json)
                costs += [str(child.once), cost]
        return _object(parts), _sum(costs)

    # a customer and its dossier

    def customer(self, pick: Pick, laterals: list[str]) -> tuple[str, str]:
        parts: list[str] = []
        costs: list[str] = []
        for child in pick.children:
            parts.append(_lit(child.key))
            if child.name == "__typename":
                parts.append("'Customer'")
            elif child.name == "id":
                parts.append(global_id("Customer", "r.id"))
            elif child.name == "creditFile":
                json, cost = self.credit_file(child, laterals)
                parts.append(json)
                costs += [str(child.once), cost]
            else:
                parts.append(f"r.{CUSTOMER_COLUMNS[child.name]}")
        return _object(parts), _sum(costs)

    def credit_file(self, pick: Pick, laterals: list[str]) -> tuple[str, str]:
        parts: list[str] = []
        costs: list[str] = []
        for child in pick.children:
            parts.append(_lit(child.key))
            if child.name == "__typename":
                parts.append("'CreditFile'")
            elif child.name == "companyHistory":
                parts.append("r.company_history")
            elif child.name == "lastReviewedOn":
                parts.append("r.last_reviewed_on")
            elif child.name == "partners":
                alias = self.alias("p")
                laterals.append(self.partners(child, alias))
                parts.append(f"{alias}.j")
                costs.append(f"{child.once} + {child.item} * {alias}.n")
            else:  # completeness
                alias = self.alias("g")
                laterals.append(self.grade(child, alias))
                parts.append(self.completeness(child, alias))
                costs.append(_sum([str(child.once), *self.missing_costs(child, alias)]))
        return _object(parts), _sum(costs)

    def partners(self, pick: Pick, alias: str) -> str:
        """The customer's partner links in link order, each with its related customer
        (one index probe per link, as dbschema/queries/credit_files.py reads them)."""
        values = {
            "id": global_id("Partner", "x.id"),
            "kind": "x.kind",
            "note": "x.note",
            "relatedId": global_id("Customer", "x.related_customer_id"),
            "relatedCode": "o.code",
            "relatedName": "o.legal_name",
            "__typename": "'Partner'",
        }
        parts: list[str] = []
        for child in pick.children:
            parts += [_lit(child.key), values[child.name]]
        return (
            f" LEFT JOIN LATERAL (SELECT coalesce(json_agg({_object(parts)} ORDER BY "
            "x.created_at, x.id), '[]'::json) AS j, count(*) AS n FROM customer_relations x "
            "JOIN LATERAL (SELECT o.code, o.legal_name FROM customers o WHERE o.tenant_id = "
            "x.tenant_id AND o.id = x.related_customer_id LIMIT 1) o ON true "
            f"WHERE x.customer_id = r.id) AS {alias} ON true"
        )

    def grade(self, pick: Pick, alias: str) -> str:
        """The dossier's missing items against the policy (domain.credit_file.completeness):
        an item the customer holds undated is present; else a dated item (DATED_ITEMS) is
        STALE when older than its cutoff, else fresh; an item neither held nor dated is
        ABSENT."""
        self.policy = True
        present = " ".join(
            f"WHEN '{key}' THEN nullif(r.{column}::text, '') IS NOT NULL"
            for key, column in PRESENT_COLUMNS.items()
        )
        present += (
            " WHEN 'CONTACTS' THEN jsonb_typeof(r.contacts) = 'array' AND r.contacts <> '[]'"
            " WHEN 'PARTNERS' THEN EXISTS (SELECT 1 FROM customer_relations y "
            "WHERE y.customer_id = r.id)"
        )
        reason = (
            f"CASE WHEN coalesce(CASE pol.key {present} ELSE false END, false) THEN NULL "
            "WHEN d.latest IS NULL THEN 'ABSENT' "
            "WHEN pol.cutoff IS NOT NULL AND d.latest < pol.cutoff THEN 'STALE' END"
        )
        lists = [c for c in pick.children if c.name == "missing"]
        if len(lists) > 1:
            raise ValueError("`missing` selected under two keys")
        items = lists[0] if lists else None
        listed = ""
        if items is not None:
            values = {
                "key": "m.key",
                "reason": "m.reason",
                "asOf": "CASE WHEN m.reason = 'STALE' THEN m.latest END",
                "__typename": "'MissingItem'",
            }
            parts: list[str] = []
            for child in items.children:
                parts += [_lit(child.key), values[child.name]]
            listed = f", coalesce(json_agg({_object(parts)} ORDER BY m.ord), '[]'::json) AS j"
        return (
            f" LEFT JOIN LATERAL (SELECT count(*) AS n{listed} FROM (SELECT pol.ord, pol.key, "
            f"d.latest, {reason} AS reason FROM policy pol LEFT JOIN ({DATED_ITEMS}) d "
            f"ON d.kind = pol.key) m WHERE m.reason IS NOT NULL) AS {alias} ON true"
        )

    def completeness(self, pick: Pick, alias: str) -> str:
        parts: list[str] = []
        for child in pick.children:
            parts.append(_lit(child.key))
            if child.name == "__typename":
                parts.append("'Completeness'")
            elif child.name == "ratio":
                parts.append(ratio(f"{alias}.n"))
            else:  # missing: the lateral's list
                parts.append(f"{alias}.j")
        return _object(parts)

    def missing_costs(self, pick: Pick, alias: str) -> list[str]:
        return [
            f"{child.once} + {child.item} * {alias}.n"
            for child in pick.children
            if child.name == "missing"
        ]


def ratio(missing: str) -> str:
    """The completeness ratio as domain.credit_file writes it: (total - missing) / total to
    4 places, half to even, as a decimal string ('1' when the policy is empty)."""
    total = "(SELECT count(*) FROM policy)"
    kept = f"(({total} - {missing}) * 10000)"
    quotient, remainder = f"({kept} / {total})", f"({kept} % {total})"
    rounded = (
        f"({quotient} + CASE WHEN 2 * {remainder} > {total} OR (2 * {remainder} = {total} "
        f"AND {quotient} % 2 = 1) THEN 1 ELSE 0 END)"
    )
    return (
        f"CASE WHEN {total} = 0 THEN '1' ELSE "
        f"(({rounded})::numeric / 10000)::numeric(5, 4)::text END"
    )


def statement(plan: DataPlan, variant: Variant) -> tuple[str, tuple[str, ...]]:
    """The statement for a plan and variant, and the names of its parameters in order."""
    builder = Builder(variant)
    sql = builder.statement(plan)
    return sql, tuple(builder.params)
