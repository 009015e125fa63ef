"""The status words the operator reads, each set defined once with its Indonesian label.

- file outcome (a judgement): accepted / rejected / ignored, recorded in the ledger;
- file state (what the operator should read now): an outcome, or withdrawn (masterplan
  tarik) or replaced (an accepted plan a newer accepted plan of its OPD replaced);
- OPD plan status: diterima / perlu revisi / belum mengumpulkan.
"""

from __future__ import annotations

ACCEPTED = "accepted"
REJECTED = "rejected"
IGNORED = "ignored"
WITHDRAWN = "withdrawn"
REPLACED = "replaced"

FILE_LABEL = {ACCEPTED: "diterima", REJECTED: "ditolak", IGNORED: "diabaikan",
              WITHDRAWN: "ditarik", REPLACED: "diganti"}

OPD_ACCEPTED = "diterima"
OPD_REVISE = "perlu revisi"
OPD_MISSING = "belum mengumpulkan"

# Console colours (rich styles) of every label above.
STYLE = {ACCEPTED: "green", REJECTED: "red", IGNORED: "dim", WITHDRAWN: "magenta",
         REPLACED: "dim", OPD_ACCEPTED: "green", OPD_REVISE: "red", OPD_MISSING: "yellow"}
