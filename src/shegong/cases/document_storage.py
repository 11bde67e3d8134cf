"""The documents' storage now lives in core.documents (one mechanism for a case's
documents and a resident's); kept here because migration 0009 names
`shegong.cases.document_storage.DocumentStorage`."""

from shegong.core.documents import DocumentStorage, check_document_root, document_storage

__all__ = ["DocumentStorage", "check_document_root", "document_storage"]
