"""What each step of each kind of record changes and prints, one module per kind; lifecycle.py carries every
step out the same way (lock, version, state, permission, save, print, in one transaction)."""
