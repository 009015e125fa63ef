"""The one catalogue of problems a file can have: shared vocabulary of every stage.

Every problem has a stable code (`Code`), a severity (`Severity`) and an Indonesian title
and message template that says what is wrong and what to type instead, declared together
as one enum member. The console, the JSON and Excel reports, the feedback workbooks, the
upload page and the board all render from here; nothing else writes participant-facing
text about a problem. Codes are part of the product's contract: never rename one.
The upload page's refusals (`Refusal`: HTTP status, title, message), why the inbox
watcher cannot judge (`Stall`: the operator's console line and the page's few words) and
every other sentence the operator's console prints (`ConsoleLine`) are declared the same
way, in `sentences.py`, and imported from here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum, auto
from typing import Any


class Severity(StrEnum):
    """How a problem weighs: an error rejects the whole file, a warning is reported only;
    ignored files are not judged at all (lock files, temp files, byte-identical copies)."""

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label  # Indonesian, as reports and feedback show it
        return member

    ERROR = "error", "Kesalahan"
    WARNING = "warning", "Peringatan"
    IGNORED = "ignored", "Diabaikan"


class _Named(StrEnum):
    @staticmethod
    def _generate_next_value_(name, start, count, last_values):  # the value is the name
        return name


class Code(_Named):
    """Every problem code, with its severity, title (short Indonesian label, for tables)
    and message template (placeholders filled from Problem.params). The value is the
    name: stable, stored in the ledger and the JSON report."""

    def __new__(cls, value: str, severity: Severity, title: str, template: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.severity, member.title, member.template = severity, title, template
        return member

    # --- the file as a whole: format, safety, identity -----------------------------------
    BERKAS_KOSONG = (auto(), Severity.ERROR, "Berkas kosong",
         "Berkas ini kosong (0 byte), mungkin gagal terunduh atau tersalin. Kirim ulang "
         "berkas template yang sudah diisi.")
    BUKAN_EXCEL = (auto(), Severity.ERROR, "Bukan berkas Excel",
         "Berkas ini bukan berkas Excel (.xlsx){detail_id}. Isi template Excel yang "
         "dibagikan saat Bimtek lalu kirim berkas .xlsx tersebut.")
    BERKAS_PDF = (auto(), Severity.ERROR, "Berkas PDF",
         "Berkas ini adalah PDF, bukan Excel. Kirim berkas template Excel (.xlsx) yang "
         "sudah diisi, bukan hasil cetak/ekspor PDF.")
    BERKAS_WORD = (auto(), Severity.ERROR, "Berkas Word",
         "Berkas ini adalah dokumen Word, bukan Excel. Isi template Excel (.xlsx) yang "
         "dibagikan saat Bimtek; jangan menyalin tabel ke Word.")
    BERKAS_RUSAK = (auto(), Severity.ERROR, "Berkas rusak/terpotong",
         "Berkas Excel ini rusak atau tidak lengkap (mungkin unduhan terputus){detail_id}. "
         "Buka berkas di komputer Anda; bila terbuka normal, simpan ulang (Save As .xlsx) "
         "dan kirim lagi.")
    BERKAS_BERPASSWORD = (auto(), Severity.ERROR, "Berkas dilindungi kata sandi",
         "Berkas ini dikunci dengan kata sandi sehingga tidak dapat dibaca. Buka berkas, "
         "hapus kata sandinya (File > Info > Protect Workbook / Encrypt with Password, "
         "kosongkan), simpan, lalu kirim lagi.")
    FORMAT_XLS = (auto(), Severity.ERROR, "Format .xls lama",
         "Berkas ini berformat Excel lama (.xls). Buka berkas, pilih Save As / Simpan "
         "Sebagai 'Excel Workbook (.xlsx)', lalu kirim berkas .xlsx tersebut.")
    FORMAT_ODS = (auto(), Severity.ERROR, "Format .ods",
         "Berkas ini berformat OpenDocument (.ods). Di LibreOffice pilih File > Save As, "
         "jenis berkas 'Excel 2007-365 (.xlsx)', lalu kirim berkas .xlsx tersebut.")
    BERKAS_TERLALU_BESAR = (auto(), Severity.ERROR, "Berkas terlalu besar",
         "Berkas ini terlalu besar atau isinya mengembang tidak wajar saat dibuka "
         "({detail}). Template yang diisi biasanya di bawah 1 MB: isi ulang template asli "
         "tanpa gambar atau data tambahan.")
    BERKAS_MERUSAK_PEMBACA = (auto(), Severity.ERROR, "Berkas menghentikan pembaca",
         "Berkas ini membuat pembaca lembar kerja berhenti ({detail}), sehingga isinya "
         "tidak dapat diperiksa. Salin isian Anda (Tempel Nilai/Paste Values) ke template "
         "asli yang baru dari Bimtek, tanpa lembar, gambar, atau format tambahan, simpan "
         "sebagai .xlsx, lalu kirim lagi.")
    BERKAS_BERBAHAYA = (auto(), Severity.ERROR, "Isi berkas tidak aman",
         "Berkas ini memuat struktur XML yang tidak aman ({detail}) dan tidak dibuka. "
         "Isi ulang template asli dari Bimtek lalu kirim lagi.")
    BUKAN_TEMPLATE = (auto(), Severity.ERROR, "Bukan template Bimtek",
         "Berkas ini bukan template masterplan Smart City dari Bimtek (lembar identitas "
         "template tidak ditemukan{detail_id}). Gunakan template yang dibagikan untuk OPD "
         "Anda dan jangan menyalin isinya ke berkas baru.")
    JENIS_TEMPLATE_LAIN = (auto(), Severity.ERROR, "Jenis template lain",
         "Berkas ini adalah template jenis '{found}', bukan '{expected}'. Gunakan template "
         "yang sesuai.")
    PERIODE_LAIN = (auto(), Severity.ERROR, "Template periode lain",
         "Template ini untuk periode {found}, sedangkan masterplan saat ini untuk periode "
         "{expected}. Minta template terbaru kepada operator Diskominfo dan salin isian Anda "
         "ke sana.")
    WILAYAH_LAIN = (auto(), Severity.ERROR, "Template daerah lain",
         "Template ini untuk {found}, bukan {expected}. Gunakan template yang dibagikan di "
         "Bimtek daerah Anda.")
    OPD_TIDAK_DIKENAL = (auto(), Severity.ERROR, "OPD tidak terdaftar",
         "Kode OPD '{found}' pada template tidak ada dalam daftar OPD. Minta template untuk "
         "OPD Anda kepada operator Diskominfo.")
    SHEET_HILANG = (auto(), Severity.ERROR, "Lembar hilang",
         "Lembar '{expected}' tidak ditemukan dalam berkas. Jangan menghapus atau mengganti "
         "nama lembar template; gunakan template asli.")
    BERKAS_TIDAK_TERBACA = (auto(), Severity.ERROR, "Berkas tidak dapat dibaca",
         "Berkas ini tidak dapat dibaca{detail_id}. Buka di Excel/LibreOffice, simpan "
         "ulang sebagai .xlsx, lalu kirim lagi.")
    TERLALU_BANYAK_BARIS = (auto(), Severity.ERROR, "Terlalu banyak baris",
         "Lembar Program berisi {found} baris, melebihi batas {expected}. Periksa apakah "
         "ada data yang tersalin berulang.")
    ISIAN_DI_LUAR_TABEL = (auto(), Severity.ERROR, "Isian jauh di luar tabel",
         "Lembar '{sheet}' menjangkau sampai sel {found} ({columns} kolom x {rows} baris), "
         "jauh melampaui tabel template, sehingga berkas tidak dibuka. Di lembar itu tekan "
         "Ctrl+End untuk menemukan sel terakhir, hapus semua kolom dan baris antara tabel "
         "dan sel itu (pilih, klik kanan > Hapus/Delete), simpan, lalu kirim lagi.")
    TIDAK_ADA_PROGRAM = (auto(), Severity.ERROR, "Belum ada program",
         "Lembar Program belum berisi satu pun program. Isi minimal satu baris program "
         "mulai baris {expected}.")
    # --- header row -------------------------------------------------------------------------
    HEADER_TIDAK_DITEMUKAN = (auto(), Severity.ERROR, "Baris judul tidak ditemukan",
         "Baris judul kolom (No, Nama Program, Dimensi, ...) tidak ditemukan pada lembar "
         "Program. Jangan mengubah atau menghapus baris judul template.")
    KOLOM_HILANG = (auto(), Severity.ERROR, "Kolom hilang",
         "Kolom '{expected}' tidak ada. Kembalikan kolom tersebut dengan judul persis "
         "'{expected}' (salin dari template asli).")
    KOLOM_OPSIONAL_HILANG = (auto(), Severity.WARNING, "Kolom opsional hilang",
         "Kolom '{expected}' tidak ada; isinya dianggap kosong. Sebaiknya kembalikan "
         "kolom tersebut dengan judul persis '{expected}' (salin dari template asli).")
    KOLOM_BERUBAH = (auto(), Severity.ERROR, "Judul kolom berubah",
         "Judul kolom '{value}' tidak dikenal; mungkin maksudnya '{suggestion}'. Ganti "
         "judulnya menjadi persis '{suggestion}'.")
    KOLOM_GANDA = (auto(), Severity.ERROR, "Kolom ganda",
         "Kolom '{value}' muncul lebih dari sekali. Hapus salah satu kolom agar setiap "
         "judul hanya ada satu.")
    KOLOM_TAMBAHAN = (auto(), Severity.WARNING, "Kolom tambahan",
         "Kolom '{value}' bukan bagian dari template dan isinya diabaikan. Pindahkan "
         "isinya ke kolom 'Keterangan' bila penting.")
    # --- single cells -----------------------------------------------------------------------
    WAJIB_DIISI = (auto(), Severity.ERROR, "Wajib diisi",
         "Kolom '{column}' wajib diisi untuk setiap baris program. Isi sel ini{hint}.")
    TEKS_TERLALU_PANJANG = (auto(), Severity.ERROR, "Teks terlalu panjang",
         "Isi kolom '{column}' {found} karakter, maksimal {expected}. Persingkat isi sel "
         "ini; uraian panjang untuk Nama Program tulis di 'Deskripsi'.")
    PILIHAN_TIDAK_DIKENAL = (auto(), Severity.ERROR, "Pilihan tidak dikenal",
         "'{value}' bukan pilihan yang sah untuk kolom '{column}'.{suggestion_text} "
         "Pilih dari daftar pilihan (dropdown) pada sel ini.")
    ELEMEN_BUKAN_DIMENSI = (auto(), Severity.ERROR, "Elemen tidak sesuai dimensi",
         "Elemen '{value}' termasuk {found}, bukan {expected}. Pilih elemen dari "
         "{expected} ({options}), atau ubah Dimensi menjadi {found}.")
    UANG_TIDAK_TERBACA = (auto(), Severity.ERROR, "Anggaran tidak terbaca",
         "'{value}' tidak dapat dibaca sebagai jumlah Rupiah. Tulis angka bulat tanpa "
         "huruf, misalnya 1500000 atau Rp 1.500.000.")
    UANG_AMBIGU = (auto(), Severity.ERROR, "Anggaran ambigu",
         "'{value}' bisa dibaca lebih dari satu cara{detail_id}. Tulis jumlah Rupiah "
         "lengkap tanpa tanda desimal, misalnya 1500000 (satu setengah juta).")
    UANG_NEGATIF = (auto(), Severity.ERROR, "Anggaran negatif",
         "Anggaran tidak boleh negatif ('{value}'). Tulis jumlah 0 atau lebih, misalnya "
         "1500000.")
    UANG_PERSEN = (auto(), Severity.ERROR, "Persen di kolom anggaran",
         "'{value}' adalah persentase, padahal kolom '{column}' berisi Rupiah. Tulis jumlah "
         "Rupiah; target dalam persen tulis di kolom Target.")
    UANG_PECAHAN = (auto(), Severity.ERROR, "Anggaran bukan Rupiah bulat",
         "'{value}' bukan jumlah Rupiah bulat. Tulis tanpa sen/desimal, misalnya 1500000.")
    TARGET_TIDAK_TERBACA = (auto(), Severity.ERROR, "Target bukan angka",
         "Target '{value}' bukan angka. Tulis angkanya saja (boleh dengan %), misalnya 25 "
         "atau 80%; satuannya tulis di kolom 'Satuan'.")
    KODE_NOMENKLATUR_SALAH = (auto(), Severity.ERROR, "Kode nomenklatur salah",
         "Kode '{value}' tidak sesuai format nomenklatur U.BB.PP.K.KK.SSSS (Kepmendagri "
         "050-5889/2021). Contoh: 2.16.03 (program), 2.16.03.2.02 (kegiatan), "
         "2.16.03.2.02.0035 (sub kegiatan); kosongkan bila belum tahu.")
    # --- against the [rujukan] lists (only when the config names them) --------------------
    NOMENKLATUR_TIDAK_ADA = (auto(), Severity.ERROR, "Kode nomenklatur tidak ada",
         "Kode '{value}' tidak ada dalam daftar nomenklatur (Permendagri 90/2019 dan "
         "pemutakhirannya) yang dipakai daerah ini.{options_text}{suggestion_text} Ketik kode "
         "yang ada di daftar, atau kosongkan bila belum tahu.")
    NOMENKLATUR_URUSAN_LAIN = (auto(), Severity.WARNING, "Kode nomenklatur urusan OPD lain",
         "Kode '{value}' termasuk bidang urusan {found}, bukan urusan OPD ini ({expected}). "
         "Periksa kodenya; bila program ini memang dilaksanakan OPD ini, jelaskan di kolom "
         "Keterangan.")
    NAMA_BEDA_NOMENKLATUR = (auto(), Severity.WARNING, "Nama program jauh dari nama nomenklatur",
         "Nama resmi kode '{value}' adalah '{expected}'; program '{found}' (nama, deskripsi "
         "dan acuannya) tidak memuat satu kata pun dari nama itu atau nama bidang urusannya. "
         "Periksa apakah kodenya benar; bila benar, biarkan.")
    ACUAN_RPJMD_TIDAK_DIKENAL = (auto(), Severity.ERROR, "Acuan bukan program RPJMD/RPD",
         "'{value}' tidak cocok dengan program RPJMD/RPD mana pun.{suggestion_text} Pilih "
         "program dari daftar (klik panah di kanan sel) atau salin namanya persis dari "
         "dokumen RPJMD/RPD.")
    ACUAN_RPJMD_DIBACA = (auto(), Severity.WARNING, "Acuan RPJMD/RPD dibaca dengan ejaan lain",
         "'{value}' dibaca sebagai program RPJMD/RPD '{expected}'. Bila benar, pilih nama "
         "itu dari daftar agar persis sama; bila salah, pilih program yang dimaksud.")
    # --- whole rows -----------------------------------------------------------------------
    TIDAK_ADA_RENCANA = (auto(), Severity.ERROR, "Tidak ada tahun yang direncanakan",
         "Program '{value}' belum punya target atau anggaran di tahun mana pun. Isi "
         "Target dan/atau Anggaran minimal untuk satu tahun ({expected}).")
    QW_TANPA_TARGET = (auto(), Severity.ERROR, "Quick Win tanpa target",
         "Program ini ditandai Quick Win, tetapi Target {expected} kosong. Isi target tahun "
         "{expected} atau ubah Quick Win menjadi 'Tidak'.")
    QW_TANPA_ANGGARAN = (auto(), Severity.ERROR, "Quick Win tanpa anggaran",
         "Program ini ditandai Quick Win, tetapi Anggaran {expected} kosong/0. Isi anggaran "
         "tahun {expected} atau ubah Quick Win menjadi 'Tidak'.")
    QW_TANPA_ANGGARAN_NONAPBD = (auto(), Severity.WARNING, "Quick Win tanpa anggaran (non-APBD)",
         "Quick Win dengan sumber dana {found} belum punya Anggaran {expected}. Bila sudah "
         "ada perkiraan nilai dari mitra, isi sel ini.")
    MANFAAT_WAJIB_QW = (auto(), Severity.ERROR, "Manfaat Quick Win kosong",
         "Program Quick Win wajib menjelaskan manfaat yang dirasakan masyarakat. Isi kolom "
         "'Manfaat bagi Masyarakat', misalnya 'Akta kelahiran terbit 2 hari setelah "
         "lahir'.")
    ISIAN_TANPA_NAMA_PROGRAM = (auto(), Severity.ERROR, "Isian tanpa nama program",
         "Baris {row} berisi data tetapi Nama Program kosong. Isi Nama Program di sel ini, "
         "atau hapus isi baris bila tidak dipakai.")
    # --- warnings -------------------------------------------------------------------------
    DESKRIPSI_KOSONG = (auto(), Severity.WARNING, "Deskripsi kosong",
         "Deskripsi program kosong. Tambahkan satu-dua kalimat agar tim penyusun memahami "
         "program ini.")
    UANG_KECIL = (auto(), Severity.WARNING, "Anggaran sangat kecil",
         "Anggaran {value} Rupiah sangat kecil; mungkin ditulis dalam juta/ribu? Tulis "
         "jumlah Rupiah penuh, misalnya 1500000 untuk 1,5 juta.")
    NAMA_PROGRAM_GANDA = (auto(), Severity.WARNING, "Nama program ganda",
         "Nama Program '{value}' juga ada di baris {found}. Gabungkan bila programnya sama, "
         "atau bedakan namanya.")
    BARIS_JUMLAH_DIABAIKAN = (auto(), Severity.WARNING, "Baris jumlah diabaikan",
         "Baris ini terbaca sebagai baris jumlah ('{value}') dan diabaikan; total dihitung "
         "otomatis. Sebaiknya hapus baris ini.")
    IDENTITAS_OPD_LAIN = (auto(), Severity.ERROR, "Identitas OPD lain",
         "Lembar Identitas menyebut {found}, padahal template ini milik {expected}. Bila "
         "Anda dari {found}, isi template OPD Anda sendiri (minta kepada operator "
         "Diskominfo, yang membuatnya dengan: masterplan templates --opd {found_code}) lalu "
         "salin isian Anda ke sana. Bila Anda dari {expected}, kembalikan isi sel ini.")
    TANDA_TANGAN_DIABAIKAN = (auto(), Severity.WARNING, "Tanda tangan/catatan di bawah tabel",
         "Baris {found} terbaca sebagai tanda tangan atau catatan di bawah "
         "tabel ('{value}'), bukan isian tabel, sehingga tidak dihitung. Tidak perlu diubah; "
         "bila di situ memang ada program, lengkapi kolom Dimensi, Sumber Dana dan "
         "anggarannya; bila ada evaluasi Quick Win, isi Nama Program dan realisasinya.")
    NAMA_PENGISI_KOSONG = (auto(), Severity.WARNING, "Nama pengisi kosong",
         "Nama Pengisi pada lembar Identitas kosong. Isi nama Anda agar operator dapat "
         "menghubungi bila ada pertanyaan.")
    # --- Quick Win evaluation files ---------------------------------------------------------
    TAHUN_QUICK_WIN_LAIN = (auto(), Severity.ERROR, "Template evaluasi tahun lain",
         "Template evaluasi ini untuk Quick Win tahun {found}, sedangkan tahun Quick Win saat "
         "ini {expected}. Minta template evaluasi terbaru kepada operator Diskominfo dan salin "
         "isian Anda ke sana.")
    EVALUASI_HEADER_TIDAK_DITEMUKAN = (
        auto(), Severity.ERROR, "Baris judul evaluasi tidak ditemukan",
         "Baris judul kolom (No, Nama Program, Realisasi Target, ...) tidak ditemukan pada "
         "lembar Evaluasi. Jangan mengubah atau menghapus baris judul template evaluasi.")
    BARIS_EVALUASI_TERLALU_BANYAK = (auto(), Severity.ERROR, "Terlalu banyak baris evaluasi",
         "Lembar Evaluasi berisi lebih dari {expected} baris isian. Isi satu baris per Quick "
         "Win; periksa apakah ada data yang tersalin berulang.")
    EVALUASI_TANPA_QUICK_WIN = (auto(), Severity.ERROR, "OPD belum punya Quick Win",
         "OPD ini belum punya Quick Win dalam rencana yang diterima, sehingga evaluasi belum "
         "dapat diperiksa. Kirim dulu template rencana dengan program Quick Win; setelah "
         "diterima, minta template evaluasi kepada operator Diskominfo.")
    TIDAK_ADA_EVALUASI = (auto(), Severity.ERROR, "Evaluasi belum diisi",
         "Lembar Evaluasi belum berisi realisasi satu pun Quick Win. Isi kolom Realisasi "
         "Target dan Realisasi Anggaran (Rp) mulai baris {expected}.")
    EVALUASI_BUKAN_QUICK_WIN = (auto(), Severity.ERROR, "Bukan Quick Win OPD ini",
         "'{value}' bukan Quick Win OPD ini dalam rencana yang diterima. Quick Win OPD ini: "
         "{options}. Tulis Nama Program persis seperti di template evaluasi, atau hapus isi "
         "baris ini.")
    EVALUASI_GANDA = (auto(), Severity.ERROR, "Quick Win dievaluasi dua kali",
         "Quick Win '{value}' dievaluasi lebih dari sekali (juga di baris {found}). Satukan "
         "isiannya dalam satu baris dan hapus isi baris lainnya.")
    ANGKA_TIDAK_TERBACA = (auto(), Severity.ERROR, "Bukan angka",
         "'{value}' pada kolom '{column}' bukan angka{detail_id}. Tulis angkanya saja tanpa "
         "satuan, misalnya {expected}.")
    ANGKA_NEGATIF = (auto(), Severity.ERROR, "Angka negatif",
         "'{value}' pada kolom '{column}' negatif. Tulis 0 atau lebih.")
    KEPUASAN_DI_LUAR_BATAS = (auto(), Severity.ERROR, "Kepuasan di luar 0-100",
         "Kepuasan Masyarakat {value} berada di luar 0-100. Tulis persentase responden yang "
         "puas, antara 0 dan 100, misalnya 87,5.")
    KEPUASAN_PECAHAN = (auto(), Severity.ERROR, "Kepuasan terbaca sebagai pecahan",
         "Kepuasan Masyarakat terbaca {value}, kurang dari 1 (mungkin diketik dengan tanda %, "
         "sehingga 85% tersimpan sebagai 0,85). Tulis angka persennya tanpa tanda %, "
         "misalnya 85.")
    RESPONDEN_KURANG = (auto(), Severity.WARNING, "Responden survei kurang",
         "Jumlah responden {found} kurang dari {expected} (praktik survei kementerian), "
         "sehingga angka kepuasan kurang dapat dipercaya. Tambah responden survei bila "
         "memungkinkan, lalu perbarui isian ini.")
    KEPUASAN_KOSONG = (auto(), Severity.WARNING, "Kepuasan belum diisi",
         "Kepuasan Masyarakat belum diisi. Evaluasi Quick Win menilai manfaat yang dirasakan "
         "warga: isi hasil survei kepuasan (0-100) dan Jumlah Responden.")
    # --- history: what a file did to its OPD's counted plan (report only) ---------------
    RENCANA_MENGGANTIKAN = (auto(), Severity.WARNING, "Menggantikan rencana sebelumnya",
         "Berkas ini menggantikan rencana {opd_name} yang dihitung sebelumnya: {found}. "
         "Bila keliru, tarik berkas ini: masterplan tarik \"{file_name}\".")
    RENCANA_MENGGANTIKAN_CURIGA = (auto(), Severity.WARNING, "PERIKSA: mungkin salah OPD",
         "PERIKSA: berkas ini menggantikan rencana {opd_name}, tetapi {suspicion}. "
         "Perubahan: {found}. Bila ini berkas OPD lain, tarik berkas ini "
         "(masterplan tarik \"{file_name}\") dan minta OPD tersebut mengisi templatenya "
         "sendiri.")
    BERKAS_DIHITUNG_LAGI = (auto(), Severity.WARNING, "Dikirim ulang, dihitung lagi",
         "Isi berkas ini sama dengan '{found}' yang sebelumnya diganti; dihitung lagi sebagai "
         "berkas terbaru OPD ini.")
    # A file accepted under an earlier config and rejected after the operator confirmed a
    # new one (masterplan run --terima-konfigurasi): first in its judgement and reason.
    KONFIGURASI_BERUBAH = (auto(), Severity.WARNING, "Tidak lagi diterima: konfigurasi berubah",
         "Berkas ini sudah diterima sebelumnya, tetapi konfigurasi masterplan kemudian diubah "
         "operator ({found}); berkas diperiksa ulang dengan konfigurasi baru dan kini tidak "
         "dihitung. Kirim ulang isian Anda pada template baru: minta template terbaru kepada "
         "operator Diskominfo, salin isian Anda ke sana, lalu kirim kembali.")
    # --- files not judged -----------------------------------------------------------------
    BERKAS_KUNCI = (auto(), Severity.IGNORED, "Berkas kunci Office",
         "Berkas kunci sementara Office (~$...) dibuat otomatis saat berkas dibuka; "
         "diabaikan.")
    BERKAS_SEMENTARA = (auto(), Severity.IGNORED, "Berkas tersembunyi/sementara",
         "Berkas tersembunyi atau sementara; diabaikan.")
    BERKAS_SAMA = (auto(), Severity.IGNORED, "Salinan berkas yang sama",
         "Isi berkas ini sama persis dengan '{found}' yang sudah masuk lebih dulu; tidak "
         "diperiksa atau dihitung dua kali.")
    BERKAS_SAMA_DITARIK = (auto(), Severity.IGNORED, "Salinan berkas yang ditarik",
         "Isi berkas ini sama persis dengan '{found}', yang sudah ditarik operator "
         "(masterplan tarik), sehingga tidak dihitung. Bila berkas ini memang harus dihitung, "
         "minta operator Diskominfo membatalkan penarikannya: masterplan tarik --batal "
         "\"{found}\".")
    # A file handed in through `masterplan serve` with one OPD's access code whose template
    # belongs to another OPD: counted for neither (the ledger keeps it, with this code).
    UNGGAH_OPD_LAIN = (auto(), Severity.ERROR, "Dikirim dengan kode akses OPD lain",
         "Berkas ini template milik {found}, tetapi dikirim dengan kode akses {expected}; "
         "berkas tidak dihitung untuk OPD mana pun. Bila Anda dari {expected}, kirim template "
         "OPD Anda sendiri. Bila berkas ini memang milik {found}, serahkan kepada {found} agar "
         "dikirim dengan kode aksesnya sendiri.")
    TAUTAN_DILEWATI = (auto(), Severity.IGNORED, "Tautan tidak diikuti",
         "Ini tautan (shortcut/symlink) ke '{found}', bukan berkas; tautan tidak diikuti. "
         "Salin berkas aslinya ke inbox.")
    MASIH_DISALIN = (auto(), Severity.IGNORED, "Berkas masih disalin",
         "Berkas masih berubah (sedang disalin); akan diperiksa pada proses berikutnya.")
    # --- the budget documents of `masterplan pantau` (anggaran/): shown to the operator --
    ANGGARAN_TIDAK_TERBACA = (auto(), Severity.ERROR, "Dokumen anggaran tidak terbaca",
         "Dokumen '{file_name}' tidak dibaca: {detail}. Tutup berkas ini bila sedang dibuka "
         "di Excel, atau unduh ulang dari SIPD dan simpan sebagai .xlsx di folder anggaran/, "
         "lalu jalankan lagi `masterplan pantau`.")
    ANGGARAN_TANPA_TAHUN = (auto(), Severity.ERROR, "Tahun dokumen tidak ditemukan",
         "Dokumen '{file_name}' tidak dibaca: tahunnya tidak ditemukan (kolom TAHUN, judul "
         "'Tahun 2025', atau tahun pada nama berkas/folder). Tambahkan tahun pada nama "
         "berkas, misalnya 'APBD 2025.xlsx', lalu jalankan lagi.")
    ANGGARAN_TANPA_PAGU = (auto(), Severity.ERROR, "Dokumen tanpa pagu",
         "Dokumen '{file_name}' tidak dibaca: tidak ada kolom pagu (PAGU, Pagu Indikatif, "
         "Nilai, Anggaran atau Realisasi){detail_id}. Unduh dari SIPD rekap yang memuat "
         "pagu per sub kegiatan, lalu jalankan lagi.")
    ANGGARAN_DI_LUAR_PERIODE = (auto(), Severity.ERROR, "Tahun di luar periode masterplan",
         "Dokumen '{file_name}' tidak dibaca: tahun {found} di luar periode masterplan "
         "{expected}. Pindahkan berkas ini dari folder anggaran/, atau perbaiki tahun pada "
         "nama berkas bila keliru.")
    ANGGARAN_DIGANTI = (auto(), Severity.IGNORED, "Dokumen diganti yang lebih baru",
         "Dokumen '{file_name}' ({found}) diganti oleh '{expected}', dokumen tahap dan tahun "
         "yang sama yang lebih baru; hanya yang lebih baru dihitung.")


class _Sentence(_Named):
    """A member whose `template` is one sentence for a person; placeholders are filled
    from keyword params, a missing one renders as nothing."""

    def render(self, **params: Any) -> str:
        return self.template.format_map(_Blank(params))


class _Blank(dict):
    """format_map helper: a missing placeholder renders as nothing, never a KeyError."""

    def __missing__(self, key: str) -> str:
        return ""


def render(code: str, **params: Any) -> str:
    """The Indonesian message for a problem code with its parameters."""
    values = _Blank({k: ("" if v is None else v) for k, v in params.items()})
    if values.get("suggestion") and "suggestion_text" not in params:
        values["suggestion_text"] = f" Mungkin maksudnya '{values['suggestion']}'."
    if values.get("detail") and "detail_id" not in params:
        values["detail_id"] = f" ({values['detail']})"
    return Code(code).template.format_map(values)


@dataclass
class Problem:
    """One finding, with everything a participant needs to find and fix it."""

    code: Code
    file: str = ""
    opd: str | None = None
    sheet: str | None = None
    cell: str | None = None  # A1 reference, None for a whole-file problem
    column: str | None = None
    value: Any = None
    row: int | None = None  # Excel row number, kept for sorting and feedback
    params: dict[str, Any] = field(default_factory=dict)
    detail: str | None = None  # technical detail, for the JSON report only

    def __post_init__(self) -> None:
        self.code = Code(self.code)  # also from the ledger's JSON, where it is text

    @property
    def severity(self) -> Severity:
        return self.code.severity

    @property
    def message(self) -> str:
        return render(self.code, value=self.value, column=self.column, row=self.row,
                      **self.params)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("params")
        data["severity"] = self.severity
        data["message"] = self.message
        if data["value"] is not None and not isinstance(data["value"], (int, float, str)):
            data["value"] = str(data["value"])
        return data


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)


def errors_in(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


def why_rejected(problems: list[Problem]) -> str:
    """Why a file is rejected, in a few words: its first error's title, with what was found
    and what the config expects when the error names them."""
    errors = errors_in(problems)
    if not errors:
        return "tidak lagi diterima"
    first = errors[0]
    found, expected = first.params.get("found"), first.params.get("expected")
    title = first.code.title.lower()
    if found and expected:
        return f"{title} (berkas: {found}, konfigurasi: {expected})"
    return f"{title} ({len(errors)} kesalahan)" if len(errors) > 1 else title


def markdown_table(indonesian: bool = False) -> str:
    """The catalogue as a Markdown table: for docs/reference.md, or in Indonesian for the
    operator's guide (tests/test_docs.py keeps both equal to the catalogue)."""
    header = ("| Kode | Tingkat | Arti | Pesan untuk peserta |" if indonesian else
              "| Code | Severity | Meaning | Message shown to the participant |")
    lines = [header, "|---|---|---|---|"]
    for code in Code:
        message = code.template.replace("|", "/").replace("\n", " ")
        severity = code.severity.label if indonesian else code.severity
        lines.append(f"| `{code}` | {severity} | {code.title} | {message} |")
    return "\n".join(lines)


# The table's place in a document, between two comments; the guide's table is Indonesian.
TABLE_MARKS = {False: ("<!-- problem-codes:start -->", "<!-- problem-codes:end -->"),
               True: ("<!-- kode-masalah:start -->", "<!-- kode-masalah:end -->")}


def update_code_table(text: str) -> str:
    """A document's text with its problem-code tables regenerated from the catalogue."""
    for indonesian, (start, end) in TABLE_MARKS.items():
        if start in text:
            head, rest = text.split(start, 1)
            _, tail = rest.split(end, 1)
            text = f"{head}{start}\n{markdown_table(indonesian)}\n{end}{tail}"
    return text


# Declared in their own module (this one holds the problems); they build on _Sentence.
from .sentences import ConsoleLine, Refusal, Stall  # noqa: E402,F401
