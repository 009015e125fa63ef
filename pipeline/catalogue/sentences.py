"""The catalogue's sentences for a person, beside the problems: what the upload page
answers when it takes no file (`Refusal`), why the inbox watcher cannot judge (`Stall`),
and what the operator's console says (`ConsoleLine`). Import them from `pipeline.catalogue`.
"""

from __future__ import annotations

from enum import auto

from . import Code, _Sentence

_NOTHING_STORED = "Tidak ada berkas yang disimpan."
_RETRYING = "pemantauan mencoba lagi dan memeriksa semua berkas yang menunggu."


class Refusal(_Sentence):
    """What the upload page (`masterplan serve`) answers when it takes no file: the HTTP
    status, a title and a message template (placeholders from the refusal's params)."""

    def __new__(cls, value: str, status: int, title: str, template: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.status, member.title, member.template = status, title, template
        return member

    KODE_KOSONG = (auto(), 403, "Kode akses kosong",
         "Ketik kode akses OPD Anda (tertulis di lembar Petunjuk template, misalnya "
         f"ACEF-HJKM), lalu kirim lagi. {_NOTHING_STORED} (Untuk skrip: kolom kode_akses "
         "dikirim sebelum berkas, atau header X-Kode-Akses.)")
    KODE_SALAH = (auto(), 403, "Kode akses salah",
         "Kode akses ini tidak dikenal. Periksa kembali kode di lembar Petunjuk template OPD "
         "Anda (huruf dan angka, misalnya ACEF-HJKM), atau minta kode kepada operator "
         f"Diskominfo. {_NOTHING_STORED}")
    TERLALU_BANYAK_PERCOBAAN = (auto(), 429, "Terlalu banyak percobaan",
         "Terlalu banyak kode akses yang salah dari perangkat ini. Tunggu {wait} detik, lalu "
         "ketik kode akses OPD Anda dengan teliti (ada di lembar Petunjuk template).")
    KIRIMAN_BERSAMAAN = (auto(), 429, "Terlalu banyak kiriman sekaligus",
         "Perangkat ini sedang mengirim {limit} berkas sekaligus. Tunggu sampai kiriman "
         f"sebelumnya selesai, lalu kirim lagi. {_NOTHING_STORED}")
    KUOTA_HABIS = (auto(), 429, "Kuota OPD habis",
         "{opd_name} sudah mengirim {used} dalam satu jam terakhir (kuota per jam: {quota}). "
         "Kirim lagi mulai pukul {at} ({wait} menit lagi); kirim hanya berkas terbaru yang "
         f"sudah diperbaiki. {_NOTHING_STORED}")
    PEMERIKSAAN_BERHENTI = (auto(), 503, "Pemeriksaan berhenti",
         "Pemeriksaan berkas sedang berhenti ({cause}); operator Diskominfo sudah melihat "
         "pesannya di laptop. Coba kirim lagi beberapa menit lagi. " + _NOTHING_STORED)
    BELUM_ADA_BERKAS = (auto(), 400, "Belum ada berkas",
         "Pilih berkas template yang sudah diisi (.xlsx), lalu kirim lagi.")
    BERKAS_KOSONG = (auto(), 400, Code.BERKAS_KOSONG.title,
         f"{Code.BERKAS_KOSONG.template} {_NOTHING_STORED}")
    TERLALU_BESAR = (auto(), 413, "Berkas terlalu besar",
         "Berkas lebih besar dari {limit_mb} MB dan tidak disimpan. Template yang diisi "
         "biasanya di bawah 1 MB: hapus gambar atau data tambahan, simpan sebagai .xlsx, lalu "
         "kirim lagi.")
    KIRIMAN_TERHENTI = (auto(), 408, "Kiriman terhenti",
         "Kiriman berhenti di tengah jalan (lebih dari {seconds} detik tanpa data). Periksa "
         f"sambungan Wi-Fi, lalu kirim lagi. {_NOTHING_STORED}")
    FORMULIR_TIDAK_DIKENAL = (auto(), 400, "Formulir tidak dikenal",
         "Kirim berkas lewat halaman unggah (formulir dengan kode akses dan berkas).")
    FORMULIR_TIDAK_TERBACA = (auto(), 400, "Formulir tidak terbaca",
         "Kiriman tidak dapat dibaca ({detail}). Muat ulang halaman unggah lalu kirim lagi.")
    UMPAN_BALIK_TIDAK_ADA = (auto(), 404, "Umpan balik tidak ada",
         "Berkas ini tidak punya umpan balik untuk OPD Anda: berkasnya tanpa masalah, bukan "
         "kiriman OPD Anda, atau sudah diganti berkas yang lebih baru. Kirim berkas terbaru "
         "Anda untuk mendapat umpan baliknya.")
    HALAMAN_TIDAK_ADA = (auto(), 404, "Halaman tidak ada",
         "Alamat ini tidak ada. Buka halaman unggah di alamat yang ditampilkan operator "
         "(misalnya http://192.168.1.5:8750/).")
    CARA_TIDAK_DIKENAL = (auto(), 405, "Cara tidak dikenal",
         "Alamat ini tidak dapat dibuka dengan cara itu. Buka halaman unggah dari alamatnya, "
         "lalu kirim berkas lewat formulirnya.")
    PERMINTAAN_SALAH = (auto(), 400, "Permintaan tidak dikenal",
         "Permintaan ini tidak dapat dilayani. Buka halaman unggah dari alamat yang "
         "ditampilkan operator, lalu kirim berkas lewat formulirnya.")
    # Not a refusal: the file is kept, its verdict comes later (the board shows it).
    PEMERIKSAAN_TERTUNDA = (auto(), 202, "Pemeriksaan tertunda",
         "Berkas sudah tersimpan, tetapi pemeriksaannya tertunda (workspace sedang dipakai "
         "proses lain atau konfigurasi sedang diperbaiki). Hasilnya muncul di papan status; "
         "tidak perlu mengirim ulang.")
    KESALAHAN_SERVER = (auto(), 500, "Kesalahan di laptop operator",
         "Terjadi kesalahan di laptop operator; berkas Anda mungkin belum diperiksa. Beri "
         "tahu operator Diskominfo (pesannya ada di layar laptop), lalu coba kirim lagi.")


class Stall(_Sentence):
    """Why the inbox watcher cannot judge for now: one Indonesian line for the operator's
    console naming the cause and the fix, and a few words (`cause`) for the upload page
    and the board."""

    def __new__(cls, value: str, cause: str, template: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.cause, member.template = cause, template
        return member

    @property
    def notice(self) -> str:
        """What the status board shows meanwhile (the hall reads it)."""
        return (f"Pemeriksaan berkas sedang berhenti ({self.cause}); berkas yang masuk "
                "diperiksa begitu operator Diskominfo memperbaikinya.")

    DISK_PENUH = (auto(), "disk laptop operator penuh",
         "Pemantauan berhenti: disk penuh ({path}). Kosongkan ruang di disk laptop (hapus atau "
         "pindahkan berkas besar yang tidak perlu); " + _RETRYING)
    TERHALANG = (auto(), "ada berkas atau folder yang menghalangi",
         "Pemantauan berhenti: ada berkas atau folder yang menghalangi di {path}. Pindahkan "
         "atau hapus benda itu (keluaran masterplan dibuat ulang sendiri); " + _RETRYING)
    TANPA_IZIN = (auto(), "tidak ada izin menulis",
         "Pemantauan berhenti: tidak ada izin menulis {path} (mungkin dibuka di program lain "
         "atau foldernya hanya-baca). Tutup berkas itu atau beri izin tulis; " + _RETRYING)
    BERKAS_TERBUKA_HABIS = (auto(), "terlalu banyak berkas terbuka",
         "Pemantauan berhenti: terlalu banyak berkas terbuka sekaligus di laptop ini ({path}). "
         "Tutup program lain yang tidak perlu; " + _RETRYING)
    TAK_TERDUGA = (auto(), "kesalahan tak terduga",
         "Pemantauan berhenti karena kesalahan tak terduga ({detail}). Bila terus berulang, "
         "simpan pesan di atas dan beri tahu pengembang; " + _RETRYING)
    PULIH = (auto(), "",
         "Pemantauan berjalan lagi; semua berkas yang menunggu diperiksa sekarang.")


class ConsoleLine(_Sentence):
    """What the operator's console says (the `masterplan` commands' summaries, hints and
    notices): plain sentences; the click layer adds colour and indentation around them and
    escapes the values it fills in."""

    def __new__(cls, value: str, template: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.template = template
        return member

    PERHATIAN = auto(), "Perhatian:"
    # init, templates
    WORKSPACE_DIBUAT = auto(), "Workspace dibuat di {path}"
    WILAYAH = auto(), "Wilayah: {region}, periode {period}, {n_opds} OPD"
    PANDUAN_OPERATOR = auto(), "Panduan operator: {path} (buka dengan klik dua kali)"
    PERIKSA_DAFTAR_OPD = (auto(),
         "Periksa daftar OPD di masterplan.toml, lalu jalankan `masterplan templates`.")
    TEMPLATE_DITULIS = auto(), "{n} template ditulis ke {folder}"
    ACUAN_RPJMD = (auto(), "Acuan RPJMD/RPD: daftar pilihan dari {file} ({n} program; lihat "
                   "`masterplan rujukan`)")
    # run
    MEMERIKSA_BERKAS = auto(), "Memeriksa berkas"
    MEMERIKSA = auto(), "Memeriksa {name}"
    BERKAS_DI_INBOX = auto(), "Berkas di inbox"
    BERKAS_LAIN_DITERIMA = (auto(), "{n} berkas lain diterima; daftar lengkap: masterplan "
                            "status")
    MASIH_DISALIN = auto(), "Masih disalin, diperiksa pada proses berikutnya:"
    OPD_PER_STATUS = auto(), "OPD: {counts}"
    ANGKA_UTAMA = (auto(), "Program: {programs}, Quick Win: {quick_wins}, total anggaran: "
                   "{budget}")
    PERUBAHAN = auto(), "Perubahan sejak proses sebelumnya:"
    REKAP = auto(), "Rekap: {path}"
    EVALUASI_QUICK_WIN = auto(), "Evaluasi Quick Win: {path}"
    LAPORAN_VALIDASI = (auto(), "Laporan validasi: {report}; umpan balik per berkas: "
                        "{feedback}")
    RUJUKAN_DILEWATI = (auto(), "Daftar rujukan: {n} baris dilewati atau dicatat; lihat "
                        "`masterplan rujukan`.")
    # status
    STATUS_PENGUMPULAN = auto(), "Status pengumpulan {region} {period}"
    HANYA_BELUM = auto(), "(belum/perlu revisi)"
    BERKAS_PERNAH_MASUK = auto(), "{n_files} berkas pernah masuk; {n_accepted} OPD diterima."
    OPD_BERSTATUS = auto(), "{n} OPD {status}:"
    DITARIK_PADA = (auto(), "{file} ({opd}) pada {at}{reason}. Batalkan: masterplan tarik "
                    "--batal \"{file}\"")
    ALASAN = auto(), "; alasan: {reason}"
    EVALUASI_DITERIMA = auto(), "Evaluasi Quick Win: {n_accepted} OPD diterima."
    EVALUASI_PERLU_REVISI = (auto(), "Evaluasi Quick Win: {n_accepted} OPD diterima, "
                             "{n_revise} OPD perlu revisi:")
    PESAN_PENGINGAT = auto(), "Pesan pengingat siap kirim: masterplan status --pesan"
    TIDAK_ADA_PENGINGAT = auto(), "Tidak ada OPD yang perlu diingatkan."
    PENGINGAT = auto(), "=== {opd} ({kode}) ==="
    PENGINGAT_KEPADA = auto(), "=== {opd} ({kode}) - kepada {to} ==="
    # tarik
    BERKAS_DITARIK = auto(), "Ditarik: {file} (OPD {opd})."
    PENARIKAN_DIBATALKAN = auto(), "Penarikan dibatalkan: {file} (OPD {opd})."
    OPD_KINI_MEMAKAI = auto(), "OPD {opd} kini memakai: {plan}."
    BELUM_ADA_RENCANA = auto(), "belum ada rencana yang diterima"
    DIPERBARUI_PADA_RUN = auto(), "Rekap dan laporan diperbarui pada `masterplan run` berikutnya."
    CARA_MEMBATALKAN = auto(), "Untuk membatalkan: masterplan tarik --batal \"{file}\""
    # quickwin, book
    PROFIL_QUICK_WIN = (auto(), "Profil Quick Win: {path} ({n_quick_wins} Quick Win dari "
                        "{n_opds} OPD)")
    TEMPLATE_EVALUASI = auto(), "Template evaluasi: {n} berkas di {folder}"
    DIHAPUS_TANPA_QUICK_WIN = auto(), "Dihapus (OPD tidak lagi punya Quick Win):"
    DIMENSI_TANPA_QUICK_WIN = auto(), "Dimensi tanpa Quick Win:"
    BELUM_ADA_QUICK_WIN = auto(), "Belum ada Quick Win yang diterima."
    JALANKAN_RUN_DULU = (auto(), "Jalankan `masterplan run` setelah template rencana OPD "
                         "terkumpul di inbox/.")
    BUKU_MASTERPLAN = auto(), "Buku masterplan: {path} ({programs} program dari {opds} OPD)"
    # watch, serve, akses
    PEMANTAUAN_DIHENTIKAN = auto(), "Pemantauan dihentikan; semua keluaran sudah tersimpan."
    UMPAN_BALIK = auto(), "Umpan balik: {path}"
    WORKSPACE_DIPAKAI = (auto(), "Proses lain (masterplan run) sedang memakai workspace ini; "
                         "pemantauan menunggu lalu mencoba lagi.")
    KELUARAN_DIPERBARUI = auto(), "Rekap, laporan dan papan status diperbarui: {counts}."
    PAPAN_STATUS = auto(), "Papan status: {path}"
    MEMANTAU = auto(), "Memantau {folder}. Tekan Ctrl-C untuk berhenti."
    HALAMAN_UNGGAH_SIAP = (auto(), "Halaman unggah siap. Tayangkan salah satu alamat ini "
                           "(papan status memuat kode QR-nya):")
    PAPAN_STATUS_DI = auto(), "Papan status: {url}papan  (berkas: {path})"
    KODE_AKSES_DI_MANA = (auto(), "Kode akses tiap OPD: masterplan akses (tercetak juga di "
                          "lembar Petunjuk template). Tekan Ctrl-C untuk berhenti.")
    HALAMAN_UNGGAH_DIHENTIKAN = auto(), "Halaman unggah dihentikan."
    HALAMAN_UNGGAH_SELESAI = (auto(), "Halaman unggah dihentikan; semua keluaran sudah "
                              "tersimpan.")
    KODE_AKSES_BARU = (auto(), "Kode akses baru untuk {opd}: {code}. Kode lama tidak berlaku "
                       "lagi. Buat ulang templatenya agar lembar Petunjuk memuat kode baru: "
                       "masterplan templates --opd {kode}")
    KODE_AKSES_JUDUL = (auto(), "Kode akses halaman unggah (rahasiakan; bagikan ke OPD "
                        "masing-masing)")
    # pantau
    TANPA_RENCANA_DITERIMA = (auto(), "Belum ada rencana OPD yang diterima, jadi belum ada "
                              "program masterplan untuk dibandingkan. Jalankan `masterplan "
                              "run` setelah berkas rencana terkumpul di inbox/, lalu "
                              "`masterplan pantau` lagi.")
    TANPA_DOKUMEN_ANGGARAN = (auto(), "Tidak ada dokumen anggaran yang dapat dibaca di "
                              "{folder}.")
    SIMPAN_UNDUHAN_SIPD = (auto(), "Simpan unduhan SIPD (rekap per sub kegiatan, tabel per "
                           "SKPD) di folder itu, lalu jalankan lagi `masterplan pantau`.")
    DOKUMEN_DIBACA = auto(), "Dibaca: {file} ({stage} {year}, {n_rows} baris{more})"
    BARIS_DILEWATI = auto(), ", {n} baris dilewati"
    SKPD_TANPA_OPD = auto(), ", {n} SKPD tanpa OPD"
    KETERLAKSANAAN = auto(), "Keterlaksanaan: {path}"
    DATA_KETERLAKSANAAN = auto(), "Data: {path}"
