"""Errors ingest raises. Each carries a one-line message fit for the CLI."""


class IngestError(Exception):
    """Base class: a file that cannot be ingested, with a reason a person can act on."""


class UnreadableFileError(IngestError):
    """Missing, empty, binary, or in an encoding kehoach cannot convert."""


class LegacyEncodingError(UnreadableFileError):
    """Text in a pre-Unicode Vietnamese font encoding (TCVN3/ABC or VNI)."""


class NotAPlanError(IngestError):
    """Readable text, but not a Kế hoạch (no plan heading, no programme, no structure)."""
