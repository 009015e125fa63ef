"""The ledger of every file received, the archive of their bytes, the inbox intake."""
