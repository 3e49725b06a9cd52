"""The catalogue: YAML read with line marks, validated into the model, checked across files and townships, what
it leaves unstated, and the view of it every surface shows. May import: kiosk.calendar, kiosk.model and the base modules."""
