"""The desk's forms, one module per kind of record (fields.py: the checks every form shares). Each checks what
a person typed and says what is wrong in plain Chinese next to the field (messages.yaml, keys desk_*)."""
