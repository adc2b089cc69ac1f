"""Risk-transfer documents as the API shows them: what each is and where its PDFs are."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Any
from uuid import UUID

import strawberry
from graphql import GraphQLError
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from domain import roles, texts
from schema.context import Context
from schema.input_rules import guarded, text_arg
from schema.node import register_node
from schema.relay import Node, to_global_id
from services.risk import documents
from services.risk.documents import DocumentRecord


@strawberry.enum(description="What a risk-transfer document is.")
class RiskDocumentKind(Enum):
    OVERDUE_NOTIFICATION = strawberry.enum_value(
        "OVERDUE_NOTIFICATION", description="Notification of overdue invoices to the insurer."
    )
    CLAIM_PACK = strawberry.enum_value(
        "CLAIM_PACK", description="A claim with its invoices, computation and evidence."
    )
    ASSIGNMENT_NOTICE = strawberry.enum_value(
        "ASSIGNMENT_NOTICE", description="Notice of assignment to a debtor (债权转让通知书)."
    )


@strawberry.type(description="A letter kept exactly as first rendered, in zh-CN and en.")
class RiskDocument(Node):
    kind: RiskDocumentKind = strawberry.field(description="What it is.")
    created_at: datetime = strawberry.field(description="When its content was fixed.")
    rendered_languages: list[str] = strawberry.field(
        description="Languages rendered and kept so far (the rest render on first download)."
    )

    @guarded("Where to download it with a bearer token.")
    def url(
        self,
        lang: Annotated[str, text_arg("zh-CN or en.", texts.SHORT)] = "zh-CN",
    ) -> str:
        if lang not in documents.LANGUAGES:
            raise GraphQLError("lang must be zh-CN or en", extensions={"code": "BAD_USER_INPUT"})
        return f"/documents/risk/{self.id}.pdf?lang={lang}"

    @classmethod
    def of(cls, d: DocumentRecord) -> RiskDocument:
        """From a document record."""
        return cls(
            id=to_global_id("RiskDocument", d.id),
            kind=RiskDocumentKind(d.kind),
            created_at=d.created_at,
            rendered_languages=list(d.languages),
        )


def _documents(ctx: Context) -> DataLoader[UUID, DocumentRecord | None]:
    async def load(ids: list[UUID]) -> list[DocumentRecord | None]:
        return await documents.documents_by_ids(ctx.session, ids)

    return DataLoader(load_fn=load)


async def document_of(info: Info[Context, Any], document_id: UUID | None) -> RiskDocument | None:
    """A document by raw id through the request's loader."""
    if document_id is None:
        return None
    found = await info.context.loader("risk_documents", _documents).load(document_id)
    return RiskDocument.of(found) if found else None


register_node(
    "RiskDocument", "risk_documents", _documents, RiskDocument.of, readers=roles.READ_RISK_TRANSFER
)
