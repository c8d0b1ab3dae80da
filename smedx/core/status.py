"""The colour of a status badge (`_status_badge.html`): each model names the tone of each status."""

# Bootstrap's text-bg-* colours a badge may take; the meaning, not the shade, is chosen by the model.
TONES = frozenset({"secondary", "primary", "success", "warning", "danger", "info"})


class StatusTone:
    """For a model with a `status` field: `STATUS_TONES` maps every status code to one of `TONES`."""

    STATUS_TONES: dict[str, str] = {}

    @property
    def status_tone(self) -> str:
        return self.STATUS_TONES.get(self.status, "secondary")
