"""The one catalogue of problems a file can have.

Every problem kind has a stable code, a severity and an Indonesian message template that
says what is wrong and what to type instead. The console, the JSON and Excel reports and
the feedback workbooks all render from here; nothing else writes participant-facing text
about a problem. Codes are part of the product's contract: never rename one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum, auto
from typing import Any

ERROR = "error"
WARNING = "warning"
# Files the pipeline does not judge at all (lock files, temp files, byte-identical copies).
IGNORED = "ignored"

SEVERITY_LABEL = {ERROR: "Kesalahan", WARNING: "Peringatan", IGNORED: "Diabaikan"}


class Code(StrEnum):
    """Every problem code: stable, part of the product's contract; never rename one.

    Each has its entry in the catalogue below (severity, title, message).
    """

    @staticmethod
    def _generate_next_value_(name, start, count, last_values):  # the value is the name
        return name

    BERKAS_KOSONG = auto()
    BUKAN_EXCEL = auto()
    BERKAS_PDF = auto()
    BERKAS_WORD = auto()
    BERKAS_RUSAK = auto()
    BERKAS_BERPASSWORD = auto()
    FORMAT_XLS = auto()
    FORMAT_ODS = auto()
    BERKAS_TERLALU_BESAR = auto()
    BERKAS_BERBAHAYA = auto()
    BUKAN_TEMPLATE = auto()
    JENIS_TEMPLATE_LAIN = auto()
    PERIODE_LAIN = auto()
    WILAYAH_LAIN = auto()
    OPD_TIDAK_DIKENAL = auto()
    SHEET_HILANG = auto()
    BERKAS_TIDAK_TERBACA = auto()
    TERLALU_BANYAK_BARIS = auto()
    ISIAN_DI_LUAR_TABEL = auto()
    TIDAK_ADA_PROGRAM = auto()
    HEADER_TIDAK_DITEMUKAN = auto()
    KOLOM_HILANG = auto()
    KOLOM_OPSIONAL_HILANG = auto()
    KOLOM_BERUBAH = auto()
    KOLOM_GANDA = auto()
    KOLOM_TAMBAHAN = auto()
    WAJIB_DIISI = auto()
    TEKS_TERLALU_PANJANG = auto()
    PILIHAN_TIDAK_DIKENAL = auto()
    ELEMEN_BUKAN_DIMENSI = auto()
    UANG_TIDAK_TERBACA = auto()
    UANG_AMBIGU = auto()
    UANG_NEGATIF = auto()
    UANG_PERSEN = auto()
    UANG_PECAHAN = auto()
    TARGET_TIDAK_TERBACA = auto()
    KODE_NOMENKLATUR_SALAH = auto()
    NOMENKLATUR_TIDAK_ADA = auto()
    NOMENKLATUR_URUSAN_LAIN = auto()
    NAMA_BEDA_NOMENKLATUR = auto()
    ACUAN_RPJMD_TIDAK_DIKENAL = auto()
    ACUAN_RPJMD_DIBACA = auto()
    TIDAK_ADA_RENCANA = auto()
    QW_TANPA_TARGET = auto()
    QW_TANPA_ANGGARAN = auto()
    QW_TANPA_ANGGARAN_NONAPBD = auto()
    MANFAAT_WAJIB_QW = auto()
    ISIAN_TANPA_NAMA_PROGRAM = auto()
    DESKRIPSI_KOSONG = auto()
    UANG_KECIL = auto()
    NAMA_PROGRAM_GANDA = auto()
    BARIS_JUMLAH_DIABAIKAN = auto()
    IDENTITAS_OPD_LAIN = auto()
    TANDA_TANGAN_DIABAIKAN = auto()
    NAMA_PENGISI_KOSONG = auto()
    TAHUN_QUICK_WIN_LAIN = auto()
    EVALUASI_HEADER_TIDAK_DITEMUKAN = auto()
    BARIS_EVALUASI_TERLALU_BANYAK = auto()
    EVALUASI_TANPA_QUICK_WIN = auto()
    TIDAK_ADA_EVALUASI = auto()
    EVALUASI_BUKAN_QUICK_WIN = auto()
    EVALUASI_GANDA = auto()
    ANGKA_TIDAK_TERBACA = auto()
    ANGKA_NEGATIF = auto()
    KEPUASAN_DI_LUAR_BATAS = auto()
    KEPUASAN_PECAHAN = auto()
    RESPONDEN_KURANG = auto()
    KEPUASAN_KOSONG = auto()
    RENCANA_MENGGANTIKAN = auto()
    RENCANA_MENGGANTIKAN_CURIGA = auto()
    BERKAS_DIHITUNG_LAGI = auto()
    KONFIGURASI_BERUBAH = auto()
    BERKAS_KUNCI = auto()
    BERKAS_SEMENTARA = auto()
    BERKAS_SAMA = auto()
    BERKAS_SAMA_DITARIK = auto()
    UNGGAH_OPD_LAIN = auto()
    TAUTAN_DILEWATI = auto()
    MASIH_DISALIN = auto()


@dataclass(frozen=True)
class Kind:
    code: Code
    severity: str
    title: str  # short Indonesian label, for tables
    template: str  # Indonesian message; placeholders filled from Problem.params


_KINDS = [
    # --- the file as a whole: format, safety, identity -----------------------------------
    Kind(Code.BERKAS_KOSONG, ERROR, "Berkas kosong",
         "Berkas ini kosong (0 byte), mungkin gagal terunduh atau tersalin. Kirim ulang "
         "berkas template yang sudah diisi."),
    Kind(Code.BUKAN_EXCEL, ERROR, "Bukan berkas Excel",
         "Berkas ini bukan berkas Excel (.xlsx){detail_id}. Isi template Excel yang "
         "dibagikan saat Bimtek lalu kirim berkas .xlsx tersebut."),
    Kind(Code.BERKAS_PDF, ERROR, "Berkas PDF",
         "Berkas ini adalah PDF, bukan Excel. Kirim berkas template Excel (.xlsx) yang "
         "sudah diisi, bukan hasil cetak/ekspor PDF."),
    Kind(Code.BERKAS_WORD, ERROR, "Berkas Word",
         "Berkas ini adalah dokumen Word, bukan Excel. Isi template Excel (.xlsx) yang "
         "dibagikan saat Bimtek; jangan menyalin tabel ke Word."),
    Kind(Code.BERKAS_RUSAK, ERROR, "Berkas rusak/terpotong",
         "Berkas Excel ini rusak atau tidak lengkap (mungkin unduhan terputus){detail_id}. "
         "Buka berkas di komputer Anda; bila terbuka normal, simpan ulang (Save As .xlsx) "
         "dan kirim lagi."),
    Kind(Code.BERKAS_BERPASSWORD, ERROR, "Berkas dilindungi kata sandi",
         "Berkas ini dikunci dengan kata sandi sehingga tidak dapat dibaca. Buka berkas, "
         "hapus kata sandinya (File > Info > Protect Workbook / Encrypt with Password, "
         "kosongkan), simpan, lalu kirim lagi."),
    Kind(Code.FORMAT_XLS, ERROR, "Format .xls lama",
         "Berkas ini berformat Excel lama (.xls). Buka berkas, pilih Save As / Simpan "
         "Sebagai 'Excel Workbook (.xlsx)', lalu kirim berkas .xlsx tersebut."),
    Kind(Code.FORMAT_ODS, ERROR, "Format .ods",
         "Berkas ini berformat OpenDocument (.ods). Di LibreOffice pilih File > Save As, "
         "jenis berkas 'Excel 2007-365 (.xlsx)', lalu kirim berkas .xlsx tersebut."),
    Kind(Code.BERKAS_TERLALU_BESAR, ERROR, "Berkas terlalu besar",
         "Berkas ini terlalu besar atau isinya mengembang tidak wajar saat dibuka "
         "({detail}). Template yang diisi biasanya di bawah 1 MB: isi ulang template asli "
         "tanpa gambar atau data tambahan."),
    Kind(Code.BERKAS_BERBAHAYA, ERROR, "Isi berkas tidak aman",
         "Berkas ini memuat struktur XML yang tidak aman ({detail}) dan tidak dibuka. "
         "Isi ulang template asli dari Bimtek lalu kirim lagi."),
    Kind(Code.BUKAN_TEMPLATE, ERROR, "Bukan template Bimtek",
         "Berkas ini bukan template masterplan Smart City dari Bimtek (lembar identitas "
         "template tidak ditemukan{detail_id}). Gunakan template yang dibagikan untuk OPD "
         "Anda dan jangan menyalin isinya ke berkas baru."),
    Kind(Code.JENIS_TEMPLATE_LAIN, ERROR, "Jenis template lain",
         "Berkas ini adalah template jenis '{found}', bukan '{expected}'. Gunakan template "
         "yang sesuai."),
    Kind(Code.PERIODE_LAIN, ERROR, "Template periode lain",
         "Template ini untuk periode {found}, sedangkan masterplan saat ini untuk periode "
         "{expected}. Minta template terbaru kepada operator Diskominfo dan salin isian Anda "
         "ke sana."),
    Kind(Code.WILAYAH_LAIN, ERROR, "Template daerah lain",
         "Template ini untuk {found}, bukan {expected}. Gunakan template yang dibagikan di "
         "Bimtek daerah Anda."),
    Kind(Code.OPD_TIDAK_DIKENAL, ERROR, "OPD tidak terdaftar",
         "Kode OPD '{found}' pada template tidak ada dalam daftar OPD. Minta template untuk "
         "OPD Anda kepada operator Diskominfo."),
    Kind(Code.SHEET_HILANG, ERROR, "Lembar hilang",
         "Lembar '{expected}' tidak ditemukan dalam berkas. Jangan menghapus atau mengganti "
         "nama lembar template; gunakan template asli."),
    Kind(Code.BERKAS_TIDAK_TERBACA, ERROR, "Berkas tidak dapat dibaca",
         "Berkas ini tidak dapat dibaca{detail_id}. Buka di Excel/LibreOffice, simpan "
         "ulang sebagai .xlsx, lalu kirim lagi."),
    Kind(Code.TERLALU_BANYAK_BARIS, ERROR, "Terlalu banyak baris",
         "Lembar Program berisi {found} baris, melebihi batas {expected}. Periksa apakah "
         "ada data yang tersalin berulang."),
    Kind(Code.ISIAN_DI_LUAR_TABEL, ERROR, "Isian jauh di luar tabel",
         "Lembar '{expected}' berisi sel terisi jauh di bawah tabel (baris {found}). Hapus "
         "isi baris tersebut (tekan Ctrl+End untuk menemukan sel terakhir), simpan, lalu "
         "kirim lagi."),
    Kind(Code.TIDAK_ADA_PROGRAM, ERROR, "Belum ada program",
         "Lembar Program belum berisi satu pun program. Isi minimal satu baris program "
         "mulai baris {expected}."),
    # --- header row -------------------------------------------------------------------------
    Kind(Code.HEADER_TIDAK_DITEMUKAN, ERROR, "Baris judul tidak ditemukan",
         "Baris judul kolom (No, Nama Program, Dimensi, ...) tidak ditemukan pada lembar "
         "Program. Jangan mengubah atau menghapus baris judul template."),
    Kind(Code.KOLOM_HILANG, ERROR, "Kolom hilang",
         "Kolom '{expected}' tidak ada. Kembalikan kolom tersebut dengan judul persis "
         "'{expected}' (salin dari template asli)."),
    Kind(Code.KOLOM_OPSIONAL_HILANG, WARNING, "Kolom opsional hilang",
         "Kolom '{expected}' tidak ada; isinya dianggap kosong. Sebaiknya kembalikan "
         "kolom tersebut dengan judul persis '{expected}' (salin dari template asli)."),
    Kind(Code.KOLOM_BERUBAH, ERROR, "Judul kolom berubah",
         "Judul kolom '{value}' tidak dikenal; mungkin maksudnya '{suggestion}'. Ganti "
         "judulnya menjadi persis '{suggestion}'."),
    Kind(Code.KOLOM_GANDA, ERROR, "Kolom ganda",
         "Kolom '{value}' muncul lebih dari sekali. Hapus salah satu kolom agar setiap "
         "judul hanya ada satu."),
    Kind(Code.KOLOM_TAMBAHAN, WARNING, "Kolom tambahan",
         "Kolom '{value}' bukan bagian dari template dan isinya diabaikan. Pindahkan "
         "isinya ke kolom 'Keterangan' bila penting."),
    # --- single cells -----------------------------------------------------------------------
    Kind(Code.WAJIB_DIISI, ERROR, "Wajib diisi",
         "Kolom '{column}' wajib diisi untuk setiap baris program. Isi sel ini{hint}."),
    Kind(Code.TEKS_TERLALU_PANJANG, ERROR, "Teks terlalu panjang",
         "Isi kolom '{column}' {found} karakter, maksimal {expected}. Persingkat isi sel "
         "ini; uraian panjang untuk Nama Program tulis di 'Deskripsi'."),
    Kind(Code.PILIHAN_TIDAK_DIKENAL, ERROR, "Pilihan tidak dikenal",
         "'{value}' bukan pilihan yang sah untuk kolom '{column}'.{suggestion_text} "
         "Pilih dari daftar pilihan (dropdown) pada sel ini."),
    Kind(Code.ELEMEN_BUKAN_DIMENSI, ERROR, "Elemen tidak sesuai dimensi",
         "Elemen '{value}' termasuk {found}, bukan {expected}. Pilih elemen dari "
         "{expected} ({options}), atau ubah Dimensi menjadi {found}."),
    Kind(Code.UANG_TIDAK_TERBACA, ERROR, "Anggaran tidak terbaca",
         "'{value}' tidak dapat dibaca sebagai jumlah Rupiah. Tulis angka bulat tanpa "
         "huruf, misalnya 1500000 atau Rp 1.500.000."),
    Kind(Code.UANG_AMBIGU, ERROR, "Anggaran ambigu",
         "'{value}' bisa dibaca lebih dari satu cara{detail_id}. Tulis jumlah Rupiah "
         "lengkap tanpa tanda desimal, misalnya 1500000 (satu setengah juta)."),
    Kind(Code.UANG_NEGATIF, ERROR, "Anggaran negatif",
         "Anggaran tidak boleh negatif ('{value}'). Tulis jumlah 0 atau lebih, misalnya "
         "1500000."),
    Kind(Code.UANG_PERSEN, ERROR, "Persen di kolom anggaran",
         "'{value}' adalah persentase, padahal kolom '{column}' berisi Rupiah. Tulis jumlah "
         "Rupiah; target dalam persen tulis di kolom Target."),
    Kind(Code.UANG_PECAHAN, ERROR, "Anggaran bukan Rupiah bulat",
         "'{value}' bukan jumlah Rupiah bulat. Tulis tanpa sen/desimal, misalnya 1500000."),
    Kind(Code.TARGET_TIDAK_TERBACA, ERROR, "Target bukan angka",
         "Target '{value}' bukan angka. Tulis angkanya saja (boleh dengan %), misalnya 25 "
         "atau 80%; satuannya tulis di kolom 'Satuan'."),
    Kind(Code.KODE_NOMENKLATUR_SALAH, ERROR, "Kode nomenklatur salah",
         "Kode '{value}' tidak sesuai format nomenklatur U.BB.PP.K.KK.SSSS (Kepmendagri "
         "050-5889/2021). Contoh: 2.16.03 (program), 2.16.03.2.02 (kegiatan), "
         "2.16.03.2.02.0035 (sub kegiatan); kosongkan bila belum tahu."),
    # --- against the [rujukan] lists (only when the config names them) --------------------
    Kind(Code.NOMENKLATUR_TIDAK_ADA, ERROR, "Kode nomenklatur tidak ada",
         "Kode '{value}' tidak ada dalam daftar nomenklatur (Permendagri 90/2019 dan "
         "pemutakhirannya) yang dipakai daerah ini.{options_text}{suggestion_text} Ketik kode "
         "yang ada di daftar, atau kosongkan bila belum tahu."),
    Kind(Code.NOMENKLATUR_URUSAN_LAIN, WARNING, "Kode nomenklatur urusan OPD lain",
         "Kode '{value}' termasuk bidang urusan {found}, bukan urusan OPD ini ({expected}). "
         "Periksa kodenya; bila program ini memang dilaksanakan OPD ini, jelaskan di kolom "
         "Keterangan."),
    Kind(Code.NAMA_BEDA_NOMENKLATUR, WARNING, "Nama program jauh dari nama nomenklatur",
         "Nama resmi kode '{value}' adalah '{expected}'; program '{found}' (nama, deskripsi "
         "dan acuannya) tidak memuat satu kata pun dari nama itu atau nama bidang urusannya. "
         "Periksa apakah kodenya benar; bila benar, biarkan."),
    Kind(Code.ACUAN_RPJMD_TIDAK_DIKENAL, ERROR, "Acuan bukan program RPJMD/RPD",
         "'{value}' tidak cocok dengan program RPJMD/RPD mana pun.{suggestion_text} Pilih "
         "program dari daftar (klik panah di kanan sel) atau salin namanya persis dari "
         "dokumen RPJMD/RPD."),
    Kind(Code.ACUAN_RPJMD_DIBACA, WARNING, "Acuan RPJMD/RPD dibaca dengan ejaan lain",
         "'{value}' dibaca sebagai program RPJMD/RPD '{expected}'. Bila benar, pilih nama "
         "itu dari daftar agar persis sama; bila salah, pilih program yang dimaksud."),
    # --- whole rows -----------------------------------------------------------------------
    Kind(Code.TIDAK_ADA_RENCANA, ERROR, "Tidak ada tahun yang direncanakan",
         "Program '{value}' belum punya target atau anggaran di tahun mana pun. Isi "
         "Target dan/atau Anggaran minimal untuk satu tahun ({expected})."),
    Kind(Code.QW_TANPA_TARGET, ERROR, "Quick Win tanpa target",
         "Program ini ditandai Quick Win, tetapi Target {expected} kosong. Isi target tahun "
         "{expected} atau ubah Quick Win menjadi 'Tidak'."),
    Kind(Code.QW_TANPA_ANGGARAN, ERROR, "Quick Win tanpa anggaran",
         "Program ini ditandai Quick Win, tetapi Anggaran {expected} kosong/0. Isi anggaran "
         "tahun {expected} atau ubah Quick Win menjadi 'Tidak'."),
    Kind(Code.QW_TANPA_ANGGARAN_NONAPBD, WARNING, "Quick Win tanpa anggaran (non-APBD)",
         "Quick Win dengan sumber dana {found} belum punya Anggaran {expected}. Bila sudah "
         "ada perkiraan nilai dari mitra, isi sel ini."),
    Kind(Code.MANFAAT_WAJIB_QW, ERROR, "Manfaat Quick Win kosong",
         "Program Quick Win wajib menjelaskan manfaat yang dirasakan masyarakat. Isi kolom "
         "'Manfaat bagi Masyarakat', misalnya 'Akta kelahiran terbit 2 hari setelah "
         "lahir'."),
    Kind(Code.ISIAN_TANPA_NAMA_PROGRAM, ERROR, "Isian tanpa nama program",
         "Baris {row} berisi data tetapi Nama Program kosong. Isi Nama Program di sel ini, "
         "atau hapus isi baris bila tidak dipakai."),
    # --- warnings -------------------------------------------------------------------------
    Kind(Code.DESKRIPSI_KOSONG, WARNING, "Deskripsi kosong",
         "Deskripsi program kosong. Tambahkan satu-dua kalimat agar tim penyusun memahami "
         "program ini."),
    Kind(Code.UANG_KECIL, WARNING, "Anggaran sangat kecil",
         "Anggaran {value} Rupiah sangat kecil; mungkin ditulis dalam juta/ribu? Tulis "
         "jumlah Rupiah penuh, misalnya 1500000 untuk 1,5 juta."),
    Kind(Code.NAMA_PROGRAM_GANDA, WARNING, "Nama program ganda",
         "Nama Program '{value}' juga ada di baris {found}. Gabungkan bila programnya sama, "
         "atau bedakan namanya."),
    Kind(Code.BARIS_JUMLAH_DIABAIKAN, WARNING, "Baris jumlah diabaikan",
         "Baris ini terbaca sebagai baris jumlah ('{value}') dan diabaikan; total dihitung "
         "otomatis. Sebaiknya hapus baris ini."),
    Kind(Code.IDENTITAS_OPD_LAIN, ERROR, "Identitas OPD lain",
         "Lembar Identitas menyebut {found}, padahal template ini milik {expected}. Bila "
         "Anda dari {found}, isi template OPD Anda sendiri (minta kepada operator "
         "Diskominfo, yang membuatnya dengan: masterplan templates --opd {found_code}) lalu "
         "salin isian Anda ke sana. Bila Anda dari {expected}, kembalikan isi sel ini."),
    Kind(Code.TANDA_TANGAN_DIABAIKAN, WARNING, "Tanda tangan/catatan di bawah tabel",
         "Baris {found} terbaca sebagai tanda tangan atau catatan di bawah "
         "tabel ('{value}'), bukan isian tabel, sehingga tidak dihitung. Tidak perlu diubah; "
         "bila di situ memang ada program, lengkapi kolom Dimensi, Sumber Dana dan "
         "anggarannya; bila ada evaluasi Quick Win, isi Nama Program dan realisasinya."),
    Kind(Code.NAMA_PENGISI_KOSONG, WARNING, "Nama pengisi kosong",
         "Nama Pengisi pada lembar Identitas kosong. Isi nama Anda agar operator dapat "
         "menghubungi bila ada pertanyaan."),
    # --- Quick Win evaluation files ---------------------------------------------------------
    Kind(Code.TAHUN_QUICK_WIN_LAIN, ERROR, "Template evaluasi tahun lain",
         "Template evaluasi ini untuk Quick Win tahun {found}, sedangkan tahun Quick Win saat "
         "ini {expected}. Minta template evaluasi terbaru kepada operator Diskominfo dan salin "
         "isian Anda ke sana."),
    Kind(Code.EVALUASI_HEADER_TIDAK_DITEMUKAN, ERROR, "Baris judul evaluasi tidak ditemukan",
         "Baris judul kolom (No, Nama Program, Realisasi Target, ...) tidak ditemukan pada "
         "lembar Evaluasi. Jangan mengubah atau menghapus baris judul template evaluasi."),
    Kind(Code.BARIS_EVALUASI_TERLALU_BANYAK, ERROR, "Terlalu banyak baris evaluasi",
         "Lembar Evaluasi berisi lebih dari {expected} baris isian. Isi satu baris per Quick "
         "Win; periksa apakah ada data yang tersalin berulang."),
    Kind(Code.EVALUASI_TANPA_QUICK_WIN, ERROR, "OPD belum punya Quick Win",
         "OPD ini belum punya Quick Win dalam rencana yang diterima, sehingga evaluasi belum "
         "dapat diperiksa. Kirim dulu template rencana dengan program Quick Win; setelah "
         "diterima, minta template evaluasi kepada operator Diskominfo."),
    Kind(Code.TIDAK_ADA_EVALUASI, ERROR, "Evaluasi belum diisi",
         "Lembar Evaluasi belum berisi realisasi satu pun Quick Win. Isi kolom Realisasi "
         "Target dan Realisasi Anggaran (Rp) mulai baris {expected}."),
    Kind(Code.EVALUASI_BUKAN_QUICK_WIN, ERROR, "Bukan Quick Win OPD ini",
         "'{value}' bukan Quick Win OPD ini dalam rencana yang diterima. Quick Win OPD ini: "
         "{options}. Tulis Nama Program persis seperti di template evaluasi, atau hapus isi "
         "baris ini."),
    Kind(Code.EVALUASI_GANDA, ERROR, "Quick Win dievaluasi dua kali",
         "Quick Win '{value}' dievaluasi lebih dari sekali (juga di baris {found}). Satukan "
         "isiannya dalam satu baris dan hapus isi baris lainnya."),
    Kind(Code.ANGKA_TIDAK_TERBACA, ERROR, "Bukan angka",
         "'{value}' pada kolom '{column}' bukan angka{detail_id}. Tulis angkanya saja tanpa "
         "satuan, misalnya {expected}."),
    Kind(Code.ANGKA_NEGATIF, ERROR, "Angka negatif",
         "'{value}' pada kolom '{column}' negatif. Tulis 0 atau lebih."),
    Kind(Code.KEPUASAN_DI_LUAR_BATAS, ERROR, "Kepuasan di luar 0-100",
         "Kepuasan Masyarakat {value} berada di luar 0-100. Tulis persentase responden yang "
         "puas, antara 0 dan 100, misalnya 87,5."),
    Kind(Code.KEPUASAN_PECAHAN, ERROR, "Kepuasan terbaca sebagai pecahan",
         "Kepuasan Masyarakat terbaca {value}, kurang dari 1 (mungkin diketik dengan tanda %, "
         "sehingga 85% tersimpan sebagai 0,85). Tulis angka persennya tanpa tanda %, "
         "misalnya 85."),
    Kind(Code.RESPONDEN_KURANG, WARNING, "Responden survei kurang",
         "Jumlah responden {found} kurang dari {expected} (praktik survei kementerian), "
         "sehingga angka kepuasan kurang dapat dipercaya. Tambah responden survei bila "
         "memungkinkan, lalu perbarui isian ini."),
    Kind(Code.KEPUASAN_KOSONG, WARNING, "Kepuasan belum diisi",
         "Kepuasan Masyarakat belum diisi. Evaluasi Quick Win menilai manfaat yang dirasakan "
         "warga: isi hasil survei kepuasan (0-100) dan Jumlah Responden."),
    # --- history: what a file did to its OPD's counted plan (report only) ---------------
    Kind(Code.RENCANA_MENGGANTIKAN, WARNING, "Menggantikan rencana sebelumnya",
         "Berkas ini menggantikan rencana {opd_name} yang dihitung sebelumnya: {found}. "
         "Bila keliru, tarik berkas ini: masterplan tarik \"{file_name}\"."),
    Kind(Code.RENCANA_MENGGANTIKAN_CURIGA, WARNING, "PERIKSA: mungkin salah OPD",
         "PERIKSA: berkas ini menggantikan rencana {opd_name}, tetapi {suspicion}. "
         "Perubahan: {found}. Bila ini berkas OPD lain, tarik berkas ini "
         "(masterplan tarik \"{file_name}\") dan minta OPD tersebut mengisi templatenya "
         "sendiri."),
    # An accepted file sent again (same bytes, another name) after a newer file of its OPD
    # replaced it: counted again; this line is added to its reason (store/ingest.py).
    Kind(Code.BERKAS_DIHITUNG_LAGI, WARNING, "Dikirim ulang, dihitung lagi",
         "Isi berkas ini sama dengan '{found}' yang sebelumnya diganti; dihitung lagi sebagai "
         "berkas terbaru OPD ini."),
    # A file accepted under an earlier config and rejected after the operator confirmed a
    # new one (masterplan run --terima-konfigurasi): first in its judgement and reason.
    Kind(Code.KONFIGURASI_BERUBAH, WARNING, "Tidak lagi diterima: konfigurasi berubah",
         "Berkas ini sudah diterima sebelumnya, tetapi konfigurasi masterplan kemudian diubah "
         "operator ({found}); berkas diperiksa ulang dengan konfigurasi baru dan kini tidak "
         "dihitung. Kirim ulang isian Anda pada template baru: minta template terbaru kepada "
         "operator Diskominfo, salin isian Anda ke sana, lalu kirim kembali."),
    # --- files not judged -----------------------------------------------------------------
    Kind(Code.BERKAS_KUNCI, IGNORED, "Berkas kunci Office",
         "Berkas kunci sementara Office (~$...) dibuat otomatis saat berkas dibuka; "
         "diabaikan."),
    Kind(Code.BERKAS_SEMENTARA, IGNORED, "Berkas tersembunyi/sementara",
         "Berkas tersembunyi atau sementara; diabaikan."),
    Kind(Code.BERKAS_SAMA, IGNORED, "Salinan berkas yang sama",
         "Isi berkas ini sama persis dengan '{found}' yang sudah masuk lebih dulu; tidak "
         "diperiksa atau dihitung dua kali."),
    Kind(Code.BERKAS_SAMA_DITARIK, IGNORED, "Salinan berkas yang ditarik",
         "Isi berkas ini sama persis dengan '{found}', yang sudah ditarik operator "
         "(masterplan tarik), sehingga tidak dihitung. Bila berkas ini memang harus dihitung, "
         "minta operator Diskominfo membatalkan penarikannya: masterplan tarik --batal "
         "\"{found}\"."),
    # A file handed in through `masterplan serve` with one OPD's access code whose template
    # belongs to another OPD: counted for neither (the ledger keeps it, with this code).
    Kind(Code.UNGGAH_OPD_LAIN, ERROR, "Dikirim dengan kode akses OPD lain",
         "Berkas ini template milik {found}, tetapi dikirim dengan kode akses {expected}; "
         "berkas tidak dihitung untuk OPD mana pun. Bila Anda dari {expected}, kirim template "
         "OPD Anda sendiri. Bila berkas ini memang milik {found}, serahkan kepada {found} agar "
         "dikirim dengan kode aksesnya sendiri."),
    Kind(Code.TAUTAN_DILEWATI, IGNORED, "Tautan tidak diikuti",
         "Ini tautan (shortcut/symlink) ke '{found}', bukan berkas; tautan tidak diikuti. "
         "Salin berkas aslinya ke inbox."),
    Kind(Code.MASIH_DISALIN, IGNORED, "Berkas masih disalin",
         "Berkas masih berubah (sedang disalin); akan diperiksa pada proses berikutnya."),
]

KINDS: dict[str, Kind] = {k.code: k for k in _KINDS}


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
    return KINDS[code].template.format_map(values)


@dataclass
class Problem:
    """One finding, with everything a participant needs to find and fix it."""

    code: str
    file: str = ""
    opd: str | None = None
    sheet: str | None = None
    cell: str | None = None  # A1 reference, None for a whole-file problem
    column: str | None = None
    value: Any = None
    row: int | None = None  # Excel row number, kept for sorting and feedback
    params: dict[str, Any] = field(default_factory=dict)
    detail: str | None = None  # technical detail, for the JSON report only

    @property
    def severity(self) -> str:
        return KINDS[self.code].severity

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
    return any(p.severity == ERROR for p in problems)


def markdown_table() -> str:
    """The catalogue as a Markdown table, for the README (a test keeps them equal)."""
    lines = ["| Code | Severity | Meaning | Message shown to the participant |",
             "|---|---|---|---|"]
    for kind in _KINDS:
        message = kind.template.replace("|", "/").replace("\n", " ")
        lines.append(f"| `{kind.code}` | {kind.severity} | {kind.title} | {message} |")
    return "\n".join(lines)


README_START = "<!-- problem-codes:start -->"
README_END = "<!-- problem-codes:end -->"


def update_readme(text: str) -> str:
    """README text with the problem-code section regenerated from the catalogue."""
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    return f"{head}{README_START}\n{markdown_table()}\n{README_END}{tail}"


if __name__ == "__main__":  # python -m pipeline.rules.catalogue README.md
    import sys
    from pathlib import Path

    readme = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    readme.write_text(update_readme(readme.read_text("utf-8")), "utf-8")
