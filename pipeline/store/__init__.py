"""What the workspace holds: the ledger of every file received, the archive of their bytes,
the inbox intake, the OPDs' access codes and the running server's address."""
