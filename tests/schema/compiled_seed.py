"""Customers with dossiers of every shape, inserted set-wise as the owner: names with LIKE's
special characters and shared names (the id breaks the tie), empty and missing fields, partner
links made together (the same created_at), dated entries fresh and stale, and the financial
statements and external credit records the completeness grade also dates items by."""

from __future__ import annotations

from typing import Any
from uuid import UUID


def seed_dossiers(database: Any, tenant: UUID, count: int) -> None:
    """`count` customers of the tenant, their partner links and dossier entries."""
    database.query(
        """INSERT INTO customers (tenant_id, code, legal_name, country, registration_number,
               industry, status, founded_on, registered_capital_minor,
               registered_capital_currency, annual_sales_minor, annual_sales_currency,
               business_model, company_history, salesperson, contacts, last_reviewed_on,
               rating_class, version, created_at)
           SELECT %s, 'C-' || lpad(g::text, 3, '0'),
                  CASE g %% 6 WHEN 0 THEN '50%%_ Trading ' || g WHEN 1 THEN '客户公司 ' || g
                       WHEN 2 THEN 'Acme Ltd ' || g WHEN 3 THEN 'Same Name Co'
                       WHEN 4 THEN 'Ötzi & Söhne ' || g ELSE 'zeta "quoted" ' || g END,
                  'DE',
                  (ARRAY[NULL, '', 'RN-' || g, 'RN-' || g])[1 + g %% 4],
                  (ARRAY['Energy', 'Food', NULL, 'Textiles', ''])[1 + g %% 5],
                  CASE WHEN g %% 3 = 0 THEN 'ARCHIVED' ELSE 'ACTIVE' END,
                  CASE WHEN g %% 6 <> 0 THEN date '1990-01-01' + g * 37 END,
                  CASE WHEN g %% 2 = 0 THEN 100000 * g END,
                  CASE WHEN g %% 2 = 0 THEN 'CNY' END,
                  CASE WHEN g %% 3 = 1 THEN 7000 * g END,
                  CASE WHEN g %% 3 = 1 THEN 'EUR' END,
                  (ARRAY[NULL, '', 'model'])[1 + g %% 3],
                  CASE WHEN g %% 2 = 1 THEN 'history' END,
                  (ARRAY['王伟', NULL, 'Ann'])[1 + g %% 3],
                  CASE WHEN g %% 3 = 0 THEN '[]' ELSE '[{"name": "李娜"}]' END::jsonb,
                  CASE WHEN g %% 4 <> 0 THEN current_date - g * 11 END,
                  (ARRAY['A', 'B', 'C', 'D', NULL])[1 + g %% 5],
                  1 + g %% 3,
                  now() - (g / 3) * interval '1 hour'
             FROM generate_series(1, %s) g""",
        tenant,
        count,
    )
    # partners: none, one, or two made together (ties on created_at: the id orders them)
    database.query(
        """INSERT INTO customer_relations (tenant_id, customer_id, related_customer_id, kind,
                                           note)
           SELECT c.tenant_id, c.id, r.id, k.kind, k.note
             FROM customers c
             JOIN customers r
               ON r.tenant_id = c.tenant_id
              AND r.code = 'C-' || lpad((1 + right(c.code, 3)::int %% %s)::text, 3, '0')
             CROSS JOIN (VALUES ('KEY_BUYER', NULL), ('GUARANTOR', '担保 "x"')) k(kind, note)
            WHERE c.tenant_id = %s AND right(c.code, 3)::int %% 3 <> 0
              AND (k.kind = 'KEY_BUYER' OR right(c.code, 3)::int %% 3 = 2)""",
        count,
        tenant,
    )
    # dated entries: fresh, stale and very old, of the kinds the default policy dates
    database.query(
        """INSERT INTO credit_file_entries (tenant_id, customer_id, occurred_on, kind, title,
                                            created_by)
           SELECT c.tenant_id, c.id, current_date - ((right(c.code, 3)::int * k.step) %% 900),
                  k.kind, 'entry', 't'
             FROM customers c
             CROSS JOIN (VALUES ('FINANCIAL_STATEMENT', 13), ('CREDIT_REPORT', 29),
                                ('LEGAL_RECORD', 41), ('SITE_VISIT', 7), ('NOTE', 3)) k(kind, step)
            WHERE c.tenant_id = %s AND (right(c.code, 3)::int + k.step) %% 4 <> 0""",
        tenant,
    )
    # financial statements: annual ones with or without revenue, interim ones, fresh and stale
    database.query(
        """INSERT INTO financial_statements (tenant_id, customer_id, period_start, period_end,
                                             kind, source, currency, unit, total_assets_minor,
                                             total_liabilities_minor, equity_minor,
                                             revenue_minor, negative_equity, z_inputs,
                                             fingerprint, created_by)
           SELECT c.tenant_id, c.id, d.period_end - k.days, d.period_end, k.kind, 'AUDITED',
                  'CNY', 'YUAN', 100, 60, 40,
                  CASE WHEN right(c.code, 3)::int %% 4 <> 1 THEN 2400 END,
                  false, '{}', 'f', 't'
             FROM customers c
             CROSS JOIN (VALUES ('ANNUAL', 364, 17), ('INTERIM', 89, 5)) k(kind, days, step)
             CROSS JOIN LATERAL (SELECT current_date - ((right(c.code, 3)::int * k.step) %% 1200)
                                        AS period_end) d
            WHERE c.tenant_id = %s AND (right(c.code, 3)::int + k.step) %% 3 <> 0""",
        tenant,
    )
    # external credit records of every kind, fresh and stale (a legal record with its case)
    database.query(
        """INSERT INTO credit_external_records (tenant_id, customer_id, kind, source, source_ref,
                                                recorded_on, evidence, legal_kind, role, status,
                                                case_number, court, filed_on, fingerprint,
                                                created_by)
           SELECT c.tenant_id, c.id, k.kind, 'src', c.code || '-' || k.kind, d.day, 'e',
                  l.legal_kind, l.role, l.status, l.case_number, l.court, l.filed_on, 'f', 't'
             FROM customers c
             CROSS JOIN (VALUES ('BUREAU_REPORT', 19), ('LEGAL_RECORD', 31), ('SITE_VISIT', 11),
                                ('NEGATIVE_NEWS', 2)) k(kind, step)
             CROSS JOIN LATERAL (SELECT current_date - ((right(c.code, 3)::int * k.step) %% 700)
                                        AS day) d
             LEFT JOIN LATERAL (SELECT 'LAWSUIT' AS legal_kind, 'DEFENDANT' AS role,
                                       'OPEN' AS status, 'case' AS case_number,
                                       'court' AS court, d.day AS filed_on
                                 WHERE k.kind = 'LEGAL_RECORD') l ON true
            WHERE c.tenant_id = %s AND (right(c.code, 3)::int + k.step) %% 5 <> 0""",
        tenant,
    )
