"""What planning accepts as a file (guides' attachments, plan documents, answers): PDF, Word or Excel up to 20 MB."""

from smedx.core import uploads

KINDS = uploads.DOCUMENTS
MAX_BYTES = 20 * uploads.MB
