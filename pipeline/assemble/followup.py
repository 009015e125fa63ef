"""Following up the OPDs: who filled what, and ready reminders for those still owing.

`masterplan status --pesan` prints one reminder per OPD that has not submitted, whose
newest plan was rejected, or (once `masterplan quickwin` made the evaluation templates)
whose Quick Win evaluation is missing or rejected: Indonesian, short enough for
WhatsApp, naming the template, what to fix and where to send it, and the OPD's access
code for the upload page (`masterplan serve`) to hand in the file itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import layout
from ..catalogue import Code, errors_in
from ..config import Config
from ..results import Holdings, OpdStatus, PlanStatus

PROBLEMS_SHOWN = 5  # cells listed in a reminder; the feedback workbook has them all


@dataclass
class Reminder:
    kode: str
    singkatan: str
    to: str  # who filled the file in and how to reach them, when known
    text: str


def contact_line(status: OpdStatus) -> str:
    c = status.contact
    who = " - ".join(x for x in (c.get("nama_pengisi"), c.get("jabatan")) if x)
    return ", ".join(x for x in (who, c.get("kontak")) if x)


def owing(statuses: list[OpdStatus]) -> list[OpdStatus]:
    return [s for s in statuses if s.status in (PlanStatus.MISSING, PlanStatus.REVISE)]


def reminders(cfg: Config, held: Holdings, with_quick_wins: set[str],
              access_codes: dict[str, str] | None = None) -> list[Reminder]:
    """with_quick_wins: codes of the OPDs that owe a Quick Win evaluation (none before the
    first `masterplan quickwin` handed out the evaluation templates); access_codes: OPD
    code -> its access code as shown ('ACEF-HJKM')."""
    out = []
    for status in held.statuses:
        opd = cfg.opd_by_code[status.kode]
        parts = []
        if status.status == PlanStatus.MISSING:
            parts.append(f"berkas rencana program masterplan Smart City {cfg.region_name} "
                         f"(periode {cfg.period_label}) dari {opd.nama} belum kami terima. "
                         f"Mohon isi template \"{layout.template_filename(opd)}\" lalu "
                         "kirim berkas .xlsx-nya kepada operator Diskominfo.")
        elif status.status == PlanStatus.REVISE:
            parts.append(_fix_text(held, status.file, status.sha256, "rencana program"))
        if status.kode in with_quick_wins and status.evaluation_status != PlanStatus.ACCEPTED:
            if status.evaluation_file is None:
                parts.append(f"evaluasi Quick Win {cfg.quick_win_year} belum kami terima. "
                             f"Mohon isi template \"{layout.evaluation_template_name(opd)}\" lalu "
                             "kirim berkas .xlsx-nya kepada operator Diskominfo.")
            else:
                parts.append(_fix_text(held, status.evaluation_file,
                                       status.evaluation_sha256, "evaluasi Quick Win"))
        if not parts:
            continue
        body = "\n".join(f"- {p[0].upper()}{p[1:]}" if len(parts) > 1 else
                         f"{p[0].upper()}{p[1:]}" for p in parts)
        code = (access_codes or {}).get(status.kode)
        upload = (f"\nBerkas juga dapat Anda kirim sendiri di halaman unggah Bimtek (alamat dan "
                  f"kode QR di layar ruangan) dengan kode akses OPD Anda: {code} (rahasiakan)."
                  if code else "")
        text = (f"Yth. Bapak/Ibu perencana {opd.nama},\n{body}{upload}\nTerima kasih.\n"
                f"Operator Diskominfo {cfg.region_name}")
        out.append(Reminder(status.kode, status.singkatan, contact_line(status), text))
    return out


def _fix_text(held: Holdings, file: str, sha: str, what: str) -> str:
    """What to fix in a rejected file: its first cells and the feedback workbook (none for
    a whole-file rejection, e.g. a template of another period), and, for a file a changed
    config dropped, that it was accepted before."""
    problems = held.to_fix[sha]
    errors = errors_in(problems)
    lines = [f"{p.sheet}!{p.cell}: {p.message}" if p.cell else p.message
             for p in errors[:PROBLEMS_SHOWN]]
    more = f"\n  (dan {len(errors) - PROBLEMS_SHOWN} kesalahan lain)" \
        if len(errors) > PROBLEMS_SHOWN else ""
    listed = "".join(f"\n  * {line}" for line in lines)
    dropped = next((p for p in problems if p.code == Code.KONFIGURASI_BERUBAH), None)
    head = (f"berkas {what} \"{file}\" tidak lagi dihitung. {dropped.message}" if dropped
            else f"berkas {what} \"{file}\" belum dapat diterima: {len(errors)} kesalahan.")
    # As write.feedback.folder decides: a workbook only where a sheet or cell is marked.
    if any(p.cell or p.sheet for p in problems):
        send = ("Perbaiki sel yang ditandai merah di berkas umpan balik "
                f"\"{layout.feedback_name(file)}\" (kami kirimkan bersama pesan ini), lalu "
                "simpan sebagai .xlsx dan kirim kembali kepada operator Diskominfo.")
    else:
        send = "Kirim kembali berkas .xlsx yang sudah diperbaiki kepada operator Diskominfo."
    return f"{head} {send} Yang perlu diperbaiki:{listed}{more}"
