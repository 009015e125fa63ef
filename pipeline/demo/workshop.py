"""`masterplan demo`: a workspace filled the way the OPDs' planners fill it, then run.

`make_demo(root)` writes a workspace with the default config (or `config_text`),
generates the templates, and fills them as each configured OPD's planner would: programs
that fit the OPD's mandate (table `IDEAS` below), across the six dimensions, with one or
two Quick Wins each. Round 1 drops the files into `inbox/` the way they arrive at a
workshop (renamed, in `whatsapp/` and `email/` subfolders, an Office lock file, a file
downloaded twice) with the mistakes participants really make (`SCENARIOS`), some
accepted as written and some rejected; a few OPDs send nothing. Round 2 adds the corrected
file of one rejected OPD. The pipeline runs after each round.

Decisions:
- Content is deterministic for a seed: every OPD's rows come from its own
  `random.Random(f"{seed}:{kode}")`, the rest (names, folders, who stays silent) from
  `random.Random(seed)`. xlsx bytes still differ between runs (timestamps inside).
- A non-empty folder is refused without `force`. With `force` only a previous demo is
  cleared (it carries `DEMO_MARKER`): a real workspace or any other folder is refused even
  with `force`, so `masterplan demo --workspace . --force` can never wipe real
  submissions. Clearing removes only the workspace's own entries (config, templates_xlsx,
  inbox, output, .masterplan and the marker), never follows a link, never leaves `root`.
- Every planted mistake is recorded as a `Planted` (file, cell, expected code or
  normalised value), so tests and the echo tell the same story.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import os
import random
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl.utils import get_column_letter

from .. import config as config_mod
from .. import layout
from .. import workspace as workspace_mod
from ..config import Config, Opd
from ..read.normalise import key, valid_nomenclature
from ..rules.catalogue import Code

if TYPE_CHECKING:
    from ..results import RunReport as RunSummary

DEMO_MARKER = "BACA_SAYA_DEMO.txt"
LIBREOFFICE_TIMEOUT = 120  # seconds; a first start with a fresh profile takes a while

JT = 10**6  # juta
M = 10**9  # miliar

# The default config's names; an idea naming something the config lacks falls back
# gracefully (see _dimension_and_element, _choice).
GOV, BRAND, ECON = "Smart Governance", "Smart Branding", "Smart Economy"
LIVING, SOCIETY, ENV = "Smart Living", "Smart Society", "Smart Environment"
SUPRA, INFRA, INFO = "Suprastruktur", "Infrastruktur", "Infostruktur"


@dataclass(frozen=True)
class Idea:
    """One program an OPD's planner would write down.

    `anggaran` is a typical yearly budget in whole Rupiah; targets ramp from `awal` to
    `akhir` over the planned years (or stay at `akhir` each year when `tetap`). A
    `manfaat` (benefit citizens feel) makes the idea a Quick Win candidate. Texts may
    use {wilayah} (the region's short name) and {singkatan} (the OPD's).
    """

    nama: str
    deskripsi: str
    dimensi: str
    elemen: str
    jenis: str
    acuan: str  # RPJMD/RPD program (Permendagri 90/2019 nomenclature)
    indikator: str
    satuan: str
    awal: float | None
    akhir: float
    anggaran: int
    kode: str | None = None
    pendukung: str | None = None
    dana: str = "APBD Kabupaten"
    manfaat: str | None = None
    tahun: int = 10  # years planned; fewer for a one-off build
    tetap: bool = False


# --- what each OPD plans, keyed by the default config's singkatan ------------------------

IDEAS: dict[str, tuple[Idea, ...]] = {
    "Setda": (
        Idea("Penyusunan Peraturan Bupati tentang Penyelenggaraan Smart City",
             "Menetapkan dasar hukum, kelembagaan dan tata kelola Smart City kabupaten.",
             GOV, "Kebijakan Publik", SUPRA, "Program Pemerintahan dan Kesejahteraan Rakyat",
             "Jumlah regulasi Smart City yang ditetapkan", "dokumen", 0, 2, 200 * JT,
             kode="4.01.02", pendukung="Bapperida; Diskominfo", tahun=2),
        Idea("Katalog Elektronik Lokal dan Pengadaan Barang/Jasa Elektronik",
             "Belanja barang/jasa pemerintah daerah melalui e-katalog lokal agar cepat, "
             "transparan dan membuka pasar bagi UMKM setempat.",
             GOV, "Manajemen Birokrasi", INFO, "Program Perekonomian dan Pembangunan",
             "Persentase paket pengadaan melalui e-katalog lokal", "%", 35, 90, 350 * JT,
             kode="4.01.03", pendukung="Diskop UKM"),
        Idea("JDIH Daring: Produk Hukum Daerah dalam Genggaman",
             "Seluruh Perda dan Perbup dapat dicari dan diunduh dari portal JDIH dan "
             "aplikasi ponsel.",
             GOV, "Kebijakan Publik", INFO, "Program Pemerintahan dan Kesejahteraan Rakyat",
             "Persentase produk hukum daerah yang dapat diakses daring", "%", 40, 100,
             150 * JT, manfaat="Warga dapat mengunduh Perda dan Perbup terbaru dari HP "
                               "tanpa datang ke Bagian Hukum."),
        Idea("Dewan dan Tim Pelaksana Smart City",
             "Rapat koordinasi berkala Dewan Smart City dan Tim Pelaksana untuk memantau "
             "capaian masterplan.",
             GOV, "Manajemen Birokrasi", SUPRA, "Program Pemerintahan dan Kesejahteraan Rakyat",
             "Jumlah rapat koordinasi Dewan dan Tim Pelaksana Smart City", "kegiatan",
             None, 4, 120 * JT, tetap=True),
    ),
    "Setwan": (
        Idea("e-Aspirasi: Aplikasi Aspirasi Masyarakat DPRD",
             "Warga menyampaikan aspirasi kepada anggota DPRD per daerah pemilihan dan "
             "memantau tindak lanjutnya.",
             GOV, "Kebijakan Publik", INFO, "Program Dukungan Pelaksanaan Tugas dan Fungsi DPRD",
             "Jumlah aspirasi masyarakat yang ditindaklanjuti melalui aplikasi", "laporan",
             200, 1200, 250 * JT, kode="4.02.02",
             manfaat="Warga menyampaikan aspirasi ke anggota DPRD dari HP dan dapat memantau "
                     "tindak lanjutnya."),
        Idea("Siaran Langsung Rapat Paripurna DPRD",
             "Rapat paripurna disiarkan langsung melalui kanal resmi agar warga mengikuti "
             "pembahasan kebijakan.",
             GOV, "Kebijakan Publik", INFRA, "Program Dukungan Pelaksanaan Tugas dan Fungsi DPRD",
             "Persentase rapat paripurna yang disiarkan langsung", "%", 20, 100, 150 * JT),
        Idea("Digitalisasi Risalah dan Produk Hukum DPRD",
             "Risalah rapat, keputusan DPRD dan naskah akademik dipindai dan diberi metadata.",
             GOV, "Manajemen Birokrasi", INFO, "Program Dukungan Pelaksanaan Tugas dan Fungsi DPRD",
             "Jumlah risalah rapat yang terdigitalisasi", "dokumen", None, 60, 100 * JT,
             tetap=True),
    ),
    "Inspektorat": (
        Idea("Aplikasi Pengawasan Internal Terintegrasi (e-Audit)",
             "Pemantauan tindak lanjut temuan pemeriksaan secara daring oleh seluruh OPD.",
             GOV, "Manajemen Birokrasi", INFO, "Program Penyelenggaraan Pengawasan",
             "Persentase tindak lanjut temuan yang dipantau daring", "%", 45, 95, 300 * JT,
             kode="6.01.02"),
        Idea("Whistleblowing System dan Pengaduan Pungli Daring",
             "Kanal pengaduan rahasia untuk pungutan liar dan gratifikasi, dengan nomor tiket.",
             GOV, "Pelayanan Publik", INFO,
             "Program Perumusan Kebijakan, Pendampingan dan Asistensi",
             "Persentase pengaduan ditindaklanjuti dalam 14 hari", "%", 50, 100, 120 * JT,
             kode="6.01.03",
             manfaat="Warga dapat melaporkan pungli secara rahasia dan menerima nomor tiket "
                     "untuk memantau tindak lanjutnya."),
        Idea("Evaluasi SAKIP dan Reformasi Birokrasi Berbasis Data",
             "Pendampingan OPD menyusun indikator kinerja dan evaluasi berbasis data.",
             GOV, "Manajemen Birokrasi", SUPRA, "Program Penyelenggaraan Pengawasan",
             "Nilai SAKIP Kabupaten", "nilai", 58, 75, 250 * JT),
    ),
    "Bapperida": (
        Idea("e-Musrenbang dan Sistem Informasi Perencanaan Terintegrasi",
             "Usulan Musrenbang desa, kecamatan dan pokok pikiran DPRD diinput dan dipantau "
             "daring sampai menjadi program.",
             GOV, "Kebijakan Publik", INFO,
             "Program Perencanaan, Pengendalian dan Evaluasi Pembangunan Daerah",
             "Persentase usulan Musrenbang desa yang diinput daring", "%", 30, 100, 400 * JT,
             kode="5.01.02", pendukung="DPMD; Diskominfo",
             manfaat="Kepala desa memantau status usulan Musrenbang desanya secara daring, "
                     "tanpa harus datang ke ibu kota kabupaten."),
        Idea("Penyusunan dan Evaluasi Tahunan Masterplan Smart City",
             "Evaluasi capaian masterplan setiap tahun bersama tenaga ahli dan OPD.",
             GOV, "Kebijakan Publik", SUPRA,
             "Program Koordinasi dan Sinkronisasi Perencanaan Pembangunan Daerah",
             "Jumlah dokumen evaluasi masterplan", "dokumen", None, 1, 300 * JT,
             kode="5.01.03", tetap=True),
        Idea("Kompetisi Inovasi Daerah dan Pelayanan Publik",
             "Lomba dan pendampingan inovasi OPD, desa dan masyarakat, dilaporkan ke "
             "Indeks Inovasi Daerah.",
             GOV, "Manajemen Birokrasi", SUPRA, "Program Penelitian dan Pengembangan Daerah",
             "Jumlah inovasi daerah yang dilaporkan", "inovasi", 25, 80, 350 * JT,
             kode="5.05.02"),
        Idea("Geoportal Perencanaan Pembangunan {wilayah}",
             "Peta tematik rencana dan realisasi pembangunan yang dapat diakses OPD dan warga.",
             LIVING, "Harmonisasi Tata Ruang Wilayah", INFO,
             "Program Koordinasi dan Sinkronisasi Perencanaan Pembangunan Daerah",
             "Jumlah layer data spasial perencanaan yang tersedia", "layer", 10, 60, 275 * JT),
    ),
    "BPKAD": (
        Idea("Transaksi Non Tunai dan Kartu Kredit Pemerintah Daerah",
             "Seluruh belanja daerah dibayar non tunai melalui CMS bank dan KKPD.",
             ECON, "Ekosistem Transaksi Keuangan", SUPRA, "Program Pengelolaan Keuangan Daerah",
             "Persentase belanja daerah yang dibayar non tunai", "%", 70, 100, 200 * JT,
             kode="5.02.02", pendukung="Bank Sumut"),
        Idea("Sistem Informasi Manajemen Aset Daerah Berbasis Geotag",
             "Aset tanah dan bangunan pemerintah daerah dipetakan, difoto dan disertifikasi.",
             GOV, "Manajemen Birokrasi", INFO, "Program Pengelolaan Barang Milik Daerah",
             "Persentase aset tanah bersertifikat dan terpetakan", "%", 40, 95, 450 * JT,
             kode="5.02.03"),
        Idea("Percepatan dan Perluasan Digitalisasi Daerah (TP2DD)",
             "Koordinasi TP2DD untuk elektronifikasi pendapatan dan belanja daerah.",
             ECON, "Ekosistem Transaksi Keuangan", SUPRA, "Program Pengelolaan Keuangan Daerah",
             "Indeks Elektronifikasi Transaksi Pemda", "%", 72, 95, 150 * JT,
             pendukung="Bapenda; Bank Indonesia",
             manfaat="Gaji honorer, bantuan dan pembayaran ke penyedia masuk rekening tepat "
                     "waktu tanpa potongan tunai."),
    ),
    "Bapenda": (
        Idea("Pembayaran PBB-P2 melalui QRIS dan Marketplace",
             "Wajib pajak membayar PBB-P2 dan pajak daerah lain melalui QRIS, minimarket "
             "dan marketplace.",
             ECON, "Ekosistem Transaksi Keuangan", INFO, "Program Pengelolaan Pendapatan Daerah",
             "Persentase pembayaran PBB-P2 secara non tunai", "%", 15, 80, 350 * JT,
             kode="5.02.04", pendukung="Bank Sumut",
             manfaat="Wajib pajak membayar PBB dari HP lewat QRIS, tanpa antre di bank atau "
                     "kantor desa."),
        Idea("Alat Perekam Transaksi (Tapping Box) Pajak Hotel dan Restoran",
             "Transaksi hotel, restoran dan hiburan terekam otomatis untuk pajak daerah.",
             ECON, "Ekosistem Transaksi Keuangan", INFRA, "Program Pengelolaan Pendapatan Daerah",
             "Jumlah wajib pajak yang terpasang alat perekam transaksi", "unit", 10, 120,
             600 * JT),
        Idea("Basis Data Objek Pajak Berbasis Peta (SIG PBB)",
             "Pemutakhiran data objek PBB-P2 dengan peta bidang tanah dan foto udara.",
             GOV, "Pelayanan Publik", INFO, "Program Pengelolaan Pendapatan Daerah",
             "Persentase objek pajak terpetakan", "%", 20, 90, 500 * JT),
    ),
    "BKPSDM": (
        Idea("Sistem Informasi Kepegawaian dan e-Kinerja ASN",
             "Data kepegawaian, presensi dan kinerja ASN dalam satu sistem terintegrasi BKN.",
             GOV, "Manajemen Birokrasi", INFO, "Program Kepegawaian Daerah",
             "Persentase ASN yang melaporkan kinerja melalui e-Kinerja", "%", 60, 100,
             300 * JT, kode="5.03.02"),
        Idea("Pelatihan Literasi Digital dan Talenta Digital ASN",
             "Pelatihan berjenjang literasi digital, keamanan informasi dan analisis data "
             "bagi ASN.",
             SOCIETY, "Ekosistem Belajar", SUPRA, "Program Pengembangan Sumber Daya Manusia",
             "Jumlah ASN mengikuti pelatihan literasi digital", "orang", None, 200, 250 * JT,
             kode="5.04.02", tetap=True),
        Idea("Layanan Kenaikan Pangkat dan Pensiun Daring",
             "Usulan kenaikan pangkat, pensiun dan mutasi diproses daring tanpa berkas kertas.",
             GOV, "Pelayanan Publik", INFO, "Program Kepegawaian Daerah",
             "Persentase usulan layanan kepegawaian yang diproses daring", "%", 40, 100,
             150 * JT,
             manfaat="SK kenaikan pangkat dan pensiun terbit tepat waktu tanpa ASN bolak-balik "
                     "membawa berkas."),
    ),
    "BPBD": (
        Idea("Sistem Peringatan Dini Banjir dan Longsor",
             "Sensor curah hujan dan tinggi muka air di DAS rawan dengan sirene dan pesan "
             "singkat ke warga.",
             SOCIETY, "Keamanan Masyarakat", INFRA, "Program Penanggulangan Bencana",
             "Jumlah titik sensor peringatan dini terpasang", "unit", 2, 25, 1200 * JT,
             kode="1.05.03", pendukung="BNPB; Diskominfo", dana="APBN"),
        Idea("Aplikasi Kaji Cepat dan Pelaporan Kejadian Bencana",
             "Laporan kejadian bencana dari desa dengan foto dan lokasi, langsung ke Pusdalops.",
             SOCIETY, "Keamanan Masyarakat", INFO, "Program Penanggulangan Bencana",
             "Persentase kejadian bencana yang dikaji dalam 6 jam", "%", 50, 100, 200 * JT,
             manfaat="Bantuan darurat tiba di lokasi bencana kurang dari 6 jam setelah "
                     "laporan warga."),
        Idea("Desa Tangguh Bencana Berbasis Peta Risiko",
             "Peta risiko, jalur evakuasi dan relawan di desa rawan bencana.",
             ENV, "Proteksi Lingkungan", SUPRA, "Program Penanggulangan Bencana",
             "Jumlah desa tangguh bencana", "desa", 12, 80, 400 * JT, pendukung="DPMD",
             dana="Dana Desa"),
    ),
    "Kesbangpol": (
        Idea("Sistem Deteksi Dini Konflik Sosial",
             "Laporan potensi konflik dari camat, kepala desa dan FKDM dipetakan daring.",
             SOCIETY, "Keamanan Masyarakat", INFO,
             "Program Peningkatan Kewaspadaan Nasional dan Peningkatan Kualitas dan Fasilitasi "
             "Penanganan Konflik Sosial",
             "Persentase laporan potensi konflik yang ditindaklanjuti", "%", 60, 100, 175 * JT,
             kode="8.01.05"),
        Idea("Dialog Kebangsaan dan Kerukunan Umat Beragama",
             "Forum rutin FKUB dan tokoh adat, disiarkan di kanal digital pemerintah daerah.",
             SOCIETY, "Interaksi Masyarakat", SUPRA,
             "Program Penguatan Ideologi Pancasila dan Karakter Kebangsaan",
             "Jumlah kegiatan dialog kebangsaan", "kegiatan", None, 6, 150 * JT,
             kode="8.01.02", tetap=True),
        Idea("Pendaftaran Organisasi Kemasyarakatan Daring",
             "Ormas mengurus Surat Keterangan Terdaftar dan melapor kegiatan secara daring.",
             GOV, "Pelayanan Publik", INFO,
             "Program Pemberdayaan dan Pengawasan Organisasi Kemasyarakatan",
             "Persentase ormas terdaftar dalam sistem", "%", 30, 100, 90 * JT,
             manfaat="Ormas mengurus Surat Keterangan Terdaftar secara daring dalam 3 hari."),
    ),
    "Disdik": (
        Idea("Sekolah Digital: Papan Interaktif dan Internet Sekolah",
             "Ruang kelas digital dan koneksi internet untuk SD dan SMP negeri.",
             SOCIETY, "Ekosistem Belajar", INFRA, "Program Pengelolaan Pendidikan",
             "Jumlah sekolah dengan ruang kelas digital", "sekolah", 12, 180, 3500 * JT,
             kode="1.01.02", dana="DAK"),
        Idea("Penerimaan Peserta Didik Baru (PPDB) Daring",
             "Pendaftaran, seleksi zonasi dan pengumuman PPDB SD/SMP negeri secara daring.",
             GOV, "Pelayanan Publik", INFO, "Program Pengelolaan Pendidikan",
             "Persentase SD/SMP negeri yang melaksanakan PPDB daring", "%", 30, 100, 250 * JT,
             kode="1.01.02.2.01",
             manfaat="Orang tua mendaftarkan anak ke SD/SMP negeri dari HP, tanpa antre "
                     "sejak subuh."),
        Idea("Pelatihan Guru Pembelajaran Digital",
             "Pelatihan guru memakai Platform Merdeka Mengajar dan media ajar digital.",
             SOCIETY, "Ekosistem Belajar", SUPRA, "Program Pendidik dan Tenaga Kependidikan",
             "Jumlah guru terlatih pembelajaran digital", "orang", None, 400, 500 * JT,
             kode="1.01.04", tetap=True),
        Idea("Dashboard Mutu Pendidikan dari Dapodik dan Rapor Pendidikan",
             "Data mutu sekolah ditampilkan untuk perencanaan berbasis data.",
             SOCIETY, "Ekosistem Belajar", INFO, "Program Pengelolaan Pendidikan",
             "Persentase satuan pendidikan dengan data mutu terkini", "%", 70, 100, 150 * JT),
    ),
    "Dinkes": (
        Idea("Telemedicine Puskesmas ke RSUD",
             "Konsultasi dokter umum Puskesmas dengan dokter spesialis RSUD melalui video.",
             LIVING, "Prasarana Kesehatan", INFO,
             "Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan Masyarakat",
             "Jumlah Puskesmas yang terhubung layanan telemedicine", "unit", 2, 25, 900 * JT,
             kode="1.02.02", pendukung="RSUD Pandan; Diskominfo",
             manfaat="Pasien di Puskesmas pulau dan pegunungan berkonsultasi dengan dokter "
                     "spesialis RSUD tanpa perjalanan jauh."),
        Idea("Rekam Medis Elektronik Puskesmas Terintegrasi SATUSEHAT",
             "Seluruh Puskesmas memakai rekam medis elektronik yang terhubung platform "
             "SATUSEHAT Kementerian Kesehatan.",
             LIVING, "Prasarana Kesehatan", INFO,
             "Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan Masyarakat",
             "Persentase Puskesmas yang menerapkan rekam medis elektronik", "%", 20, 100,
             1100 * JT, kode="1.02.02.2.02"),
        Idea("Aplikasi Pemantauan Ibu Hamil dan Balita Berisiko Stunting",
             "Bidan desa dan kader Posyandu mencatat ibu hamil dan balita di aplikasi; "
             "yang berisiko langsung ditangani.",
             LIVING, "Prasarana Kesehatan", INFO,
             "Program Pemberdayaan Masyarakat Bidang Kesehatan",
             "Prevalensi balita stunting", "%", 28, 14, 400 * JT, kode="1.02.05",
             pendukung="DP3AP2KB; DPMD",
             manfaat="Ibu hamil berisiko tinggi terpantau bidan desa setiap bulan melalui "
                     "aplikasi."),
        Idea("Ambulans Desa Terhubung Call Center Gawat Darurat",
             "Ambulans Puskesmas dan desa dipantau GPS dan dipanggil melalui call center 119.",
             LIVING, "Prasarana Kesehatan", INFRA,
             "Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan Masyarakat",
             "Rata-rata waktu tanggap ambulans gawat darurat", "menit", 60, 30, 1500 * JT,
             dana="DAK"),
    ),
    "RSUD Pandan": (
        Idea("Antrean Online dan Pendaftaran Mandiri Pasien",
             "Pasien rawat jalan mengambil nomor antrean dari HP atau anjungan mandiri.",
             LIVING, "Prasarana Kesehatan", INFO,
             "Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan Masyarakat",
             "Rata-rata waktu tunggu pendaftaran rawat jalan", "menit", 120, 30, 300 * JT,
             kode="1.02.02", dana="Lainnya",
             manfaat="Pasien rawat jalan tidak perlu antre sejak pagi; waktu tunggu "
                     "pendaftaran di bawah 30 menit."),
        Idea("SIMRS Terintegrasi BPJS Kesehatan dan SATUSEHAT",
             "Sistem informasi manajemen rumah sakit yang terhubung klaim BPJS dan SATUSEHAT.",
             LIVING, "Prasarana Kesehatan", INFO,
             "Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan Masyarakat",
             "Persentase unit layanan yang memakai SIMRS", "%", 50, 100, 800 * JT,
             dana="Lainnya"),
        Idea("Pembangunan Gedung Instalasi Gawat Darurat Terpadu",
             "Gedung IGD terpadu dengan ruang triase, resusitasi dan observasi.",
             LIVING, "Prasarana Kesehatan", INFRA,
             "Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan Masyarakat",
             "Persentase progres fisik pembangunan gedung IGD", "%", 0, 100, 8500 * JT,
             dana="DAK", tahun=2),
    ),
    "RSUD Barus": (
        Idea("Layanan Tele-Radiologi dan Tele-EKG",
             "Hasil rontgen dan EKG dibaca dokter spesialis dari jarak jauh.",
             LIVING, "Prasarana Kesehatan", INFO,
             "Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan Masyarakat",
             "Jumlah pemeriksaan yang dibaca jarak jauh", "pemeriksaan", 0, 1500, 500 * JT,
             manfaat="Hasil rontgen pasien dibaca dokter spesialis radiologi dalam 1 jam."),
        Idea("Informasi Ketersediaan Tempat Tidur Secara Langsung",
             "Ketersediaan tempat tidur rawat inap tampil di papan informasi dan situs web.",
             LIVING, "Prasarana Kesehatan", INFO,
             "Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan Masyarakat",
             "Persentase ruang rawat inap yang tampil di dashboard", "%", 0, 100, 120 * JT),
        Idea("Pembangkit Listrik Tenaga Surya Atap Rumah Sakit",
             "PLTS atap untuk mengurangi biaya listrik dan cadangan daya ruang kritis.",
             ENV, "Tata Kelola Energi", INFRA,
             "Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan Masyarakat",
             "Kapasitas PLTS atap terpasang", "kWp", 0, 150, 1800 * JT, dana="Swasta/CSR",
             tahun=4),
    ),
    "Dinas PUPR": (
        Idea("Jalan Mantap dan Sistem Informasi Kondisi Jalan",
             "Survei kondisi jalan berbasis aplikasi untuk menentukan prioritas pemeliharaan.",
             LIVING, "Sarana Transportasi", INFRA, "Program Penyelenggaraan Jalan",
             "Persentase jalan kabupaten dalam kondisi mantap", "%", 58, 80, 14500 * JT,
             kode="1.03.10", dana="DAK"),
        Idea("Lapor Jalan Rusak dan Perbaikan Cepat",
             "Warga melaporkan jalan berlubang dengan foto; tim reaksi cepat menambal.",
             LIVING, "Sarana Transportasi", INFO, "Program Penyelenggaraan Jalan",
             "Persentase laporan jalan berlubang yang diperbaiki dalam 7 hari", "%", 30, 90,
             750 * JT, manfaat="Lubang jalan yang dilaporkan warga ditambal dalam 7 hari."),
        Idea("Drainase Perkotaan dengan Sensor Genangan",
             "Rehabilitasi saluran drainase kota dan sensor tinggi genangan di titik rawan.",
             ENV, "Proteksi Lingkungan", INFRA,
             "Program Pengelolaan dan Pengembangan Sistem Drainase",
             "Panjang saluran drainase yang dibangun/direhabilitasi", "km", None, 3,
             4200 * JT, kode="1.03.08", tetap=True),
        Idea("Rencana Detail Tata Ruang Digital Terintegrasi OSS",
             "Penyusunan RDTR kawasan perkotaan dan integrasinya ke sistem OSS-RBA.",
             LIVING, "Harmonisasi Tata Ruang Wilayah", SUPRA,
             "Program Penyelenggaraan Penataan Ruang",
             "Jumlah RDTR yang ditetapkan dan terintegrasi OSS", "dokumen", 0, 4, 850 * JT,
             tahun=5),
    ),
    "Disperkim": (
        Idea("Penerangan Jalan Umum Tenaga Surya Terpantau Daring",
             "PJU tenaga surya di jalan desa dan lorong gelap, kerusakan terpantau daring.",
             ENV, "Tata Kelola Energi", INFRA,
             "Program Peningkatan Prasarana, Sarana dan Utilitas Umum (PSU)",
             "Jumlah titik PJU tenaga surya terpasang", "unit", None, 150, 2250 * JT,
             tetap=True,
             manfaat="Jalan desa dan lorong yang gelap menjadi terang; warga aman beraktivitas "
                     "malam hari."),
        Idea("Penanganan Kawasan Permukiman Kumuh Berbasis Data",
             "Peningkatan kualitas kawasan kumuh dengan data by name by address.",
             LIVING, "Harmonisasi Tata Ruang Wilayah", INFRA, "Program Kawasan Permukiman",
             "Luas kawasan kumuh yang tertangani", "ha", None, 5, 3000 * JT, kode="1.04.03",
             dana="APBN", tetap=True),
        Idea("Sistem Informasi Rumah Tidak Layak Huni",
             "Pendataan rumah tidak layak huni dengan foto dan koordinat untuk bantuan tepat "
             "sasaran.",
             LIVING, "Harmonisasi Tata Ruang Wilayah", INFO, "Program Pengembangan Perumahan",
             "Jumlah rumah tidak layak huni yang terdata", "unit", 1500, 6000, 150 * JT,
             kode="1.04.02"),
        Idea("Taman Kota dengan Wi-Fi Publik",
             "Penataan taman kota sebagai ruang publik dengan Wi-Fi dan panggung seni.",
             BRAND, "Wajah Kota", INFRA, "Program Kawasan Permukiman",
             "Jumlah taman kota yang ditata", "unit", 1, 6, 1750 * JT,
             pendukung="Diskominfo; Disbud"),
    ),
    "Satpol PP": (
        Idea("CCTV dan Patroli Terpadu Ketertiban Umum",
             "CCTV di titik rawan ketertiban terhubung ruang kendali Satpol PP dan Polres.",
             SOCIETY, "Keamanan Masyarakat", INFRA,
             "Program Peningkatan Ketenteraman dan Ketertiban Umum",
             "Jumlah titik CCTV ketertiban umum yang terpantau", "unit", 4, 40, 650 * JT,
             kode="1.05.02", pendukung="Diskominfo; Polres"),
        Idea("Aplikasi Pengaduan Gangguan Ketenteraman dan Ketertiban",
             "Warga melaporkan gangguan ketertiban dengan foto; petugas terdekat menanggapi.",
             SOCIETY, "Keamanan Masyarakat", INFO,
             "Program Peningkatan Ketenteraman dan Ketertiban Umum",
             "Persentase pengaduan ditindaklanjuti dalam 1x24 jam", "%", 50, 100, 120 * JT,
             manfaat="Pengaduan gangguan ketertiban ditanggapi petugas dalam 1x24 jam."),
        Idea("Penegakan Perda Berbasis Data Pelanggaran",
             "Data pelanggaran Perda dicatat dan dianalisis untuk patroli yang tepat sasaran.",
             GOV, "Kebijakan Publik", SUPRA,
             "Program Peningkatan Ketenteraman dan Ketertiban Umum",
             "Persentase pelanggaran Perda yang ditindak", "%", 60, 90, 200 * JT),
    ),
    "Damkar": (
        Idea("Call Center Darurat 112 Terintegrasi",
             "Satu nomor darurat 112 untuk kebakaran, ambulans dan bencana.",
             SOCIETY, "Keamanan Masyarakat", INFO,
             "Program Pencegahan, Penanggulangan, Penyelamatan Kebakaran dan Penyelamatan "
             "Non Kebakaran",
             "Rata-rata waktu tanggap kebakaran di wilayah perkotaan", "menit", 25, 15,
             450 * JT, kode="1.05.04", pendukung="Diskominfo",
             manfaat="Mobil pemadam tiba di lokasi kebakaran dalam 15 menit setelah warga "
                     "menelepon 112."),
        Idea("Pos Pemadam Kebakaran Wilayah",
             "Pos pemadam di kecamatan yang jauh dari markas, dengan armada dan personel.",
             SOCIETY, "Keamanan Masyarakat", INFRA,
             "Program Pencegahan, Penanggulangan, Penyelamatan Kebakaran dan Penyelamatan "
             "Non Kebakaran",
             "Jumlah pos pemadam kebakaran wilayah", "unit", 1, 4, 2800 * JT, tahun=6),
        Idea("Pelatihan Relawan Pemadam Kebakaran Masyarakat",
             "Pelatihan warga dan petugas desa memakai APAR dan pompa portabel.",
             SOCIETY, "Interaksi Masyarakat", SUPRA,
             "Program Pencegahan, Penanggulangan, Penyelamatan Kebakaran dan Penyelamatan "
             "Non Kebakaran",
             "Jumlah relawan kebakaran terlatih", "orang", None, 100, 150 * JT, tetap=True),
    ),
    "Dinsos": (
        Idea("Pemutakhiran DTKS oleh Desa Melalui Aplikasi",
             "Operator desa memutakhirkan Data Terpadu Kesejahteraan Sosial setiap bulan.",
             ECON, "Kesejahteraan Masyarakat", INFO, "Program Perlindungan dan Jaminan Sosial",
             "Persentase desa yang memutakhirkan DTKS setiap bulan", "%", 30, 100, 350 * JT,
             kode="1.06.05", pendukung="DPMD",
             manfaat="Bantuan sosial tepat sasaran; warga miskin yang belum terdata diusulkan "
                     "langsung oleh desa."),
        Idea("Pusat Kesejahteraan Sosial dan Layanan Rujukan Terpadu",
             "Puskesos di kecamatan melayani pengaduan dan rujukan program perlindungan sosial.",
             ECON, "Kesejahteraan Masyarakat", SUPRA, "Program Pemberdayaan Sosial",
             "Jumlah Puskesos aktif", "unit", 2, 20, 400 * JT, kode="1.06.02"),
        Idea("Alat Bantu bagi Penyandang Disabilitas",
             "Kursi roda, alat bantu dengar dan kaki palsu berdasarkan data disabilitas desa.",
             SOCIETY, "Interaksi Masyarakat", INFRA, "Program Rehabilitasi Sosial",
             "Jumlah penyandang disabilitas yang menerima alat bantu", "orang", None, 120,
             300 * JT, kode="1.06.04", tetap=True),
    ),
    "Disnaker": (
        Idea("Bursa Kerja Online dan Job Fair Virtual",
             "Lowongan kerja terverifikasi dari perusahaan lokal dan luar daerah.",
             ECON, "Kesejahteraan Masyarakat", INFO, "Program Penempatan Tenaga Kerja",
             "Jumlah pencari kerja yang ditempatkan melalui bursa kerja online", "orang",
             150, 900, 200 * JT, kode="2.07.04",
             manfaat="Pencari kerja mendapat informasi lowongan terverifikasi dan kartu AK/I "
                     "dari HP."),
        Idea("Pelatihan Kerja Berbasis Kompetensi Digital",
             "Pelatihan pemasaran digital, desain dan operator komputer bersertifikat BNSP.",
             SOCIETY, "Ekosistem Belajar", SUPRA,
             "Program Pelatihan Kerja dan Produktivitas Tenaga Kerja",
             "Jumlah peserta pelatihan kompetensi digital bersertifikat", "orang", None, 160,
             600 * JT, kode="2.07.03", tetap=True),
        Idea("Kartu Pencari Kerja (AK/I) Daring",
             "Kartu kuning diajukan dan dicetak mandiri tanpa datang ke kantor.",
             GOV, "Pelayanan Publik", INFO, "Program Penempatan Tenaga Kerja",
             "Persentase kartu AK/I yang terbit dalam 1 hari", "%", 40, 100, 80 * JT,
             manfaat="Kartu kuning (AK/I) terbit di hari yang sama tanpa datang ke kantor."),
    ),
    "DP3AP2KB": (
        Idea("Layanan Pengaduan Kekerasan terhadap Perempuan dan Anak",
             "Hotline dan pendampingan korban kekerasan oleh UPTD PPA.",
             SOCIETY, "Keamanan Masyarakat", INFO, "Program Perlindungan Perempuan",
             "Persentase kasus kekerasan yang ditangani sesuai SOP", "%", 70, 100, 250 * JT,
             kode="2.08.03",
             manfaat="Korban kekerasan mendapat pendampingan dalam 1x24 jam setelah melapor "
                     "lewat hotline."),
        Idea("Ruang Bermain Ramah Anak",
             "Ruang bermain ramah anak di desa dan kelurahan menuju Kabupaten Layak Anak.",
             SOCIETY, "Interaksi Masyarakat", INFRA, "Program Pemenuhan Hak Anak (PHA)",
             "Jumlah ruang bermain ramah anak", "unit", 2, 20, 500 * JT, kode="2.08.07"),
        Idea("Sistem Informasi Keluarga untuk Percepatan Penurunan Stunting",
             "Pendataan keluarga berisiko stunting oleh Tim Pendamping Keluarga.",
             LIVING, "Prasarana Kesehatan", INFO, "Program Pembinaan Keluarga Berencana (KB)",
             "Persentase keluarga berisiko stunting yang terdata", "%", 60, 100, 180 * JT,
             kode="2.14.03", pendukung="Dinkes"),
    ),
    "DKP": (
        Idea("Sistem Informasi Harga dan Stok Pangan",
             "Harga dan stok komoditas pangan di pasar utama diperbarui setiap hari.",
             ECON, "Kesejahteraan Masyarakat", INFO,
             "Program Peningkatan Diversifikasi dan Ketahanan Pangan Masyarakat",
             "Jumlah komoditas pangan yang harganya diperbarui harian", "komoditas", 8, 20,
             150 * JT, kode="2.09.02", pendukung="Disperindag",
             manfaat="Warga dan pedagang melihat harga beras, cabai dan ikan hari ini di "
                     "pasar utama dari HP."),
        Idea("Pekarangan Pangan Lestari dan Pertanian Perkotaan",
             "Kelompok wanita tani mengelola pekarangan pangan dengan irigasi hemat air.",
             ENV, "Proteksi Lingkungan", SUPRA,
             "Program Peningkatan Diversifikasi dan Ketahanan Pangan Masyarakat",
             "Jumlah kelompok pekarangan pangan lestari", "kelompok", 10, 60, 400 * JT),
        Idea("Pengawasan Keamanan Pangan Segar dengan Uji Cepat",
             "Uji cepat residu pestisida dan formalin pada pangan segar di pasar.",
             LIVING, "Prasarana Kesehatan", INFRA, "Program Pengawasan Keamanan Pangan",
             "Jumlah sampel pangan segar yang diuji", "sampel", None, 300, 120 * JT,
             kode="2.09.04", tetap=True),
    ),
    "DLH": (
        Idea("Bank Sampah Digital di Setiap Kecamatan",
             "Bank sampah dengan aplikasi tabungan sampah; saldo bisa dipakai membayar "
             "iuran sampah.",
             ENV, "Tata Kelola Sampah dan Limbah", INFO, "Program Pengelolaan Persampahan",
             "Jumlah bank sampah aktif yang terhubung aplikasi", "unit", 5, 60, 350 * JT,
             kode="2.11.11", pendukung="DPMD",
             manfaat="Warga menabung sampah terpilah dan saldonya dapat dipakai membayar "
                     "iuran sampah."),
        Idea("Pemantauan Kualitas Udara dan Air Sungai Otomatis",
             "Stasiun pemantau kualitas udara dan air sungai yang datanya terbuka untuk warga.",
             ENV, "Proteksi Lingkungan", INFRA,
             "Program Pengendalian Pencemaran dan/atau Kerusakan Lingkungan Hidup",
             "Jumlah stasiun pemantau kualitas lingkungan daring", "unit", 0, 6, 900 * JT,
             kode="2.11.03"),
        Idea("Armada Angkut Sampah Terjadwal dengan GPS",
             "Truk sampah terpantau GPS dengan jadwal angkut yang dapat dilihat warga.",
             ENV, "Tata Kelola Sampah dan Limbah", INFRA, "Program Pengelolaan Persampahan",
             "Persentase sampah terangkut ke TPA", "%", 45, 85, 2400 * JT),
        Idea("Pengolahan Sampah Organik dan TPA Sanitary Landfill",
             "Rumah kompos dan sel sanitary landfill agar TPA tidak lagi dibakar terbuka.",
             ENV, "Tata Kelola Sampah dan Limbah", INFRA, "Program Pengelolaan Persampahan",
             "Jumlah sampah organik yang diolah menjadi kompos", "ton", 50, 600, 5500 * JT,
             dana="APBN", tahun=6),
    ),
    "Disdukcapil": (
        Idea("Akta Kelahiran Terbit dari Puskesmas",
             "Akta kelahiran, KK dan KIA bayi baru lahir diterbitkan dari Puskesmas melalui "
             "aplikasi terintegrasi.",
             GOV, "Pelayanan Publik", INFO, "Program Pencatatan Sipil",
             "Persentase bayi baru lahir yang memiliki akta kelahiran dalam 2 hari", "%", 35,
             100, 450 * JT, kode="2.12.03", pendukung="Dinkes; RSUD Pandan",
             manfaat="Akta kelahiran terbit 2 hari setelah lahir di Puskesmas, tanpa orang tua "
                     "datang ke kantor Disdukcapil."),
        Idea("Identitas Kependudukan Digital (IKD)",
             "Aktivasi KTP digital di ponsel untuk layanan publik dan perbankan.",
             GOV, "Pelayanan Publik", INFO, "Program Pendaftaran Penduduk",
             "Persentase penduduk wajib KTP yang mengaktifkan IKD", "%", 5, 60, 300 * JT,
             kode="2.12.02",
             manfaat="Warga menunjukkan KTP digital di HP untuk layanan Puskesmas, bank dan "
                     "BPJS."),
        Idea("Layanan Adminduk Keliling ke Desa Terpencil dan Pulau",
             "Mobil dan perahu layanan adminduk mendatangi desa terpencil dan pulau.",
             GOV, "Pelayanan Publik", INFRA, "Program Pendaftaran Penduduk",
             "Jumlah desa terpencil yang dilayani adminduk keliling", "desa", None, 40,
             400 * JT, tetap=True),
        Idea("Pemanfaatan Data Kependudukan oleh Perangkat Daerah",
             "Perjanjian kerja sama hak akses data kependudukan untuk layanan OPD.",
             GOV, "Kebijakan Publik", SUPRA,
             "Program Pengelolaan Informasi Administrasi Kependudukan",
             "Jumlah OPD yang memanfaatkan data kependudukan", "OPD", 5, 30, 120 * JT,
             kode="2.12.04"),
    ),
    "DPMD": (
        Idea("Sistem Informasi Desa dan Layanan Surat Desa Daring",
             "Website desa, profil desa dan layanan surat pengantar secara daring.",
             GOV, "Pelayanan Publik", INFO, "Program Administrasi Pemerintahan Desa",
             "Jumlah desa dengan sistem informasi desa aktif", "desa", 20, 159, 300 * JT,
             kode="2.13.04", dana="Dana Desa",
             manfaat="Warga mengurus surat pengantar desa lewat HP dan mengambilnya dalam "
                     "satu hari."),
        Idea("Transparansi APBDes dan Siskeudes Daring",
             "APBDes dan realisasinya dipublikasikan di website desa dan baliho informasi.",
             GOV, "Kebijakan Publik", INFO, "Program Penataan Desa",
             "Persentase desa yang mempublikasikan APBDes secara daring", "%", 25, 100,
             150 * JT, kode="2.13.02"),
        Idea("BUMDes Digital dan Pemasaran Produk Desa",
             "Pendampingan BUMDes memasarkan produk unggulan desa secara daring.",
             ECON, "Ekosistem Industri", SUPRA,
             "Program Pemberdayaan Lembaga Kemasyarakatan, Lembaga Adat dan Masyarakat "
             "Hukum Adat",
             "Jumlah BUMDes yang memasarkan produk secara daring", "unit", 5, 60, 350 * JT,
             kode="2.13.05", dana="Dana Desa"),
    ),
    "Dishub": (
        Idea("Angkutan Perdesaan Terjadwal dengan Informasi Jadwal Daring",
             "Trayek angkutan perdesaan dengan jadwal tetap yang dapat dilihat di HP.",
             LIVING, "Sarana Transportasi", INFO,
             "Program Penyelenggaraan Lalu Lintas dan Angkutan Jalan (LLAJ)",
             "Jumlah trayek angkutan perdesaan dengan jadwal daring", "trayek", 2, 18,
             300 * JT, kode="2.15.02",
             manfaat="Warga desa mengetahui jadwal angkutan ke ibu kota kabupaten dari HP dan "
                     "tidak lagi menunggu berjam-jam di simpang jalan."),
        Idea("Lampu Lalu Lintas Pintar dan Area Traffic Control System",
             "Simpang utama dengan lampu lalu lintas adaptif yang dipantau dari ruang kendali.",
             LIVING, "Sarana Transportasi", INFRA,
             "Program Penyelenggaraan Lalu Lintas dan Angkutan Jalan (LLAJ)",
             "Jumlah simpang dengan lampu lalu lintas terkendali ATCS", "simpang", 0, 8,
             2600 * JT, dana="DAK"),
        Idea("Tiket dan Jadwal Kapal Penyeberangan Daring",
             "Jadwal dan tiket kapal penyeberangan ke pulau-pulau dapat dipesan daring.",
             LIVING, "Sarana Transportasi", INFO, "Program Pengelolaan Pelayaran",
             "Jumlah dermaga penyeberangan dengan tiket daring", "unit", 0, 4, 450 * JT,
             kode="2.15.03", pendukung="Dispar"),
        Idea("Parkir Non Tunai di Pusat Kota",
             "Retribusi parkir tepi jalan dibayar dengan QRIS atau kartu.",
             ECON, "Ekosistem Transaksi Keuangan", INFO,
             "Program Penyelenggaraan Lalu Lintas dan Angkutan Jalan (LLAJ)",
             "Persentase retribusi parkir yang dibayar non tunai", "%", 0, 70, 250 * JT,
             pendukung="Bapenda"),
    ),
    "Diskominfo": (
        Idea("Jaringan Intra Pemerintah dan Fiber Optik antar-OPD",
             "Jaringan fiber optik dan pusat data yang menghubungkan seluruh kantor OPD.",
             GOV, "Manajemen Birokrasi", INFRA, "Program Aplikasi Informatika",
             "Jumlah OPD yang terhubung jaringan intra pemerintah", "OPD", 12, 40, 2500 * JT,
             kode="2.16.03.2.02"),
        Idea("Satu Data {wilayah}: Portal Data dan Statistik Sektoral",
             "Dataset sektoral OPD terbit di portal Satu Data dengan metadata baku.",
             GOV, "Kebijakan Publik", INFO, "Program Penyelenggaraan Statistik Sektoral",
             "Jumlah dataset sektoral yang terbit di portal Satu Data", "dataset", 40, 400,
             350 * JT, kode="2.20.02"),
        Idea("Internet Desa untuk Wilayah Blank Spot",
             "Akses internet di kantor desa, sekolah dan Puskesmas wilayah tanpa sinyal.",
             SOCIETY, "Interaksi Masyarakat", INFRA, "Program Aplikasi Informatika",
             "Jumlah titik akses internet desa blank spot", "titik", 15, 150, 1200 * JT,
             kode="2.16.03", dana="APBN",
             manfaat="Desa blank spot dapat mengakses internet di kantor desa dan sekolah."),
        Idea("Command Center dan Dashboard Eksekutif Bupati",
             "Ruang kendali yang menampilkan data layanan dan CCTV dari seluruh OPD.",
             GOV, "Manajemen Birokrasi", INFRA, "Program Aplikasi Informatika",
             "Jumlah layanan/data OPD yang tampil di dashboard", "layanan", 5, 50, 1800 * JT),
        Idea("Tim Tanggap Insiden Siber (CSIRT) Kabupaten",
             "Pengamanan aplikasi dan situs pemerintah daerah, uji kerentanan berkala.",
             GOV, "Manajemen Birokrasi", SUPRA,
             "Program Penyelenggaraan Persandian untuk Pengamanan Informasi",
             "Persentase aplikasi yang lolos uji keamanan", "%", 10, 90, 250 * JT,
             kode="2.21.02"),
        Idea("Pengelolaan Pengaduan Warga SP4N-LAPOR!",
             "Pengaduan warga diteruskan ke OPD dan dipantau sampai dijawab.",
             GOV, "Pelayanan Publik", INFO, "Program Informasi dan Komunikasi Publik",
             "Persentase pengaduan yang dijawab OPD dalam 5 hari kerja", "%", 60, 100,
             150 * JT, kode="2.16.02",
             manfaat="Setiap pengaduan warga lewat LAPOR! dijawab OPD dalam 5 hari kerja."),
    ),
    "Diskop UKM": (
        Idea("UMKM Go Digital: Marketplace dan QRIS",
             "Pendampingan UMKM membuka toko daring dan menerima pembayaran QRIS.",
             ECON, "Ekosistem Industri", SUPRA, "Program Pengembangan UMKM",
             "Jumlah UMKM yang berjualan daring dan menerima QRIS", "unit", 150, 2500,
             450 * JT, kode="2.17.08", pendukung="Bank Indonesia; Bank Sumut",
             manfaat="Pelaku UMKM menerima pembayaran QRIS dan pesanan daring dari luar "
                     "daerah."),
        Idea("Rumah Kemasan dan Sertifikasi Halal Gratis",
             "Desain kemasan, izin edar dan sertifikat halal bagi produk UMKM.",
             ECON, "Ekosistem Industri", INFRA,
             "Program Pemberdayaan Usaha Menengah, Usaha Kecil, dan Usaha Mikro (UMKM)",
             "Jumlah produk UMKM bersertifikat halal", "produk", 30, 600, 350 * JT,
             kode="2.17.07"),
        Idea("Koperasi Digital: Pembukuan dan Simpan Pinjam Daring",
             "Koperasi memakai aplikasi pembukuan dan layanan simpan pinjam anggota.",
             ECON, "Ekosistem Transaksi Keuangan", INFO,
             "Program Pendidikan dan Latihan Perkoperasian",
             "Jumlah koperasi yang memakai aplikasi pembukuan digital", "unit", 5, 50,
             200 * JT, kode="2.17.05"),
    ),
    "DPMPTSP": (
        Idea("Mal Pelayanan Publik dan Perizinan OSS-RBA",
             "Layanan perizinan dan layanan instansi vertikal di satu gedung.",
             GOV, "Pelayanan Publik", INFRA, "Program Pelayanan Penanaman Modal",
             "Jumlah jenis layanan di Mal Pelayanan Publik", "layanan", 20, 120, 2200 * JT,
             kode="2.18.04", tahun=8,
             manfaat="Warga mengurus izin usaha, KTP, paspor dan BPJS di satu gedung dalam "
                     "satu hari."),
        Idea("Peta Peluang Investasi Digital",
             "Profil proyek investasi siap tawar dengan data lahan, akses dan insentif.",
             BRAND, "Branding Bisnis", INFO, "Program Promosi Penanaman Modal",
             "Jumlah proyek investasi siap ditawarkan", "proyek", 2, 15, 300 * JT,
             kode="2.18.03"),
        Idea("Pengawasan Penanaman Modal dan LKPM Daring",
             "Pendampingan pelaku usaha melaporkan LKPM daring dan pengawasan lapangan.",
             ECON, "Ekosistem Industri", INFO,
             "Program Pengendalian Pelaksanaan Penanaman Modal",
             "Persentase pelaku usaha yang melaporkan LKPM", "%", 40, 95, 150 * JT,
             kode="2.18.05"),
    ),
    "Dispora": (
        Idea("Inkubator Wirausaha Muda Digital",
             "Ruang kerja bersama dan mentoring bagi wirausaha muda bidang digital.",
             ECON, "Ekosistem Industri", INFRA,
             "Program Pengembangan Kapasitas Daya Saing Kepemudaan",
             "Jumlah pemuda wirausaha digital yang dibina", "orang", None, 50, 600 * JT,
             kode="2.19.02", tetap=True),
        Idea("Sport Tourism: Lari dan Festival Olahraga Pantai",
             "Event olahraga tahunan di kawasan pantai bersama sponsor swasta.",
             BRAND, "Branding Pariwisata", SUPRA,
             "Program Pengembangan Kapasitas Daya Saing Keolahragaan",
             "Jumlah event olahraga berskala provinsi/nasional", "event", 1, 4, 750 * JT,
             kode="2.19.03", dana="Swasta/CSR", pendukung="Dispar",
             manfaat="Penginapan, warung dan UMKM di sekitar pantai ramai pengunjung saat "
                     "event."),
        Idea("Sistem Informasi Data Atlet dan Sarana Olahraga",
             "Pendataan atlet, pelatih dan sarana olahraga untuk pembinaan berjenjang.",
             SOCIETY, "Interaksi Masyarakat", INFO,
             "Program Pengembangan Kapasitas Daya Saing Keolahragaan",
             "Jumlah atlet yang terdata", "orang", 200, 1000, 100 * JT),
    ),
    "Disbud": (
        Idea("Digitalisasi Cagar Budaya dan Situs Sejarah Barus",
             "Dokumentasi 3D, foto dan narasi situs sejarah untuk museum virtual.",
             BRAND, "Branding Pariwisata", INFO,
             "Program Pelestarian dan Pengelolaan Cagar Budaya",
             "Jumlah objek cagar budaya yang terdokumentasi digital", "objek", 5, 60,
             400 * JT, kode="2.22.05"),
        Idea("Kalender Festival Budaya Pesisir",
             "Festival budaya pesisir dan Sikambang dengan kalender dan tiket daring.",
             BRAND, "Branding Pariwisata", SUPRA, "Program Pengembangan Kebudayaan",
             "Jumlah festival budaya yang terselenggara", "festival", None, 3, 500 * JT,
             kode="2.22.02", tetap=True,
             manfaat="Warga dan wisatawan mengetahui jadwal festival budaya setahun penuh."),
        Idea("Sanggar Seni dan Pelatihan Konten Budaya",
             "Pembinaan sanggar seni dan pelatihan membuat konten budaya untuk media sosial.",
             SOCIETY, "Ekosistem Belajar", SUPRA, "Program Pengembangan Kebudayaan",
             "Jumlah sanggar seni yang dibina", "sanggar", 10, 40, 200 * JT),
    ),
    "Dispusip": (
        Idea("Perpustakaan Digital dan Pojok Baca Desa",
             "Buku elektronik yang dapat dipinjam dari HP dan pojok baca di desa.",
             SOCIETY, "Ekosistem Belajar", INFO, "Program Pembinaan Perpustakaan",
             "Jumlah anggota perpustakaan digital aktif", "orang", 500, 8000, 350 * JT,
             kode="2.23.02",
             manfaat="Pelajar di desa meminjam buku elektronik lewat HP tanpa datang ke "
                     "perpustakaan daerah."),
        Idea("Arsip Dinamis Elektronik (SRIKANDI)",
             "Surat-menyurat dan arsip dinamis OPD memakai aplikasi SRIKANDI.",
             GOV, "Manajemen Birokrasi", INFO, "Program Pengelolaan Arsip",
             "Persentase OPD yang memakai SRIKANDI", "%", 30, 100, 250 * JT, kode="2.24.02"),
        Idea("Perpustakaan Keliling ke Pesisir dan Pulau",
             "Mobil dan kapal perpustakaan keliling dengan jadwal tetap.",
             SOCIETY, "Ekosistem Belajar", INFRA, "Program Pembinaan Perpustakaan",
             "Jumlah desa yang dilayani perpustakaan keliling", "desa", None, 60, 300 * JT,
             tetap=True),
    ),
    "Diskan": (
        Idea("Informasi Cuaca dan Zona Tangkapan Ikan untuk Nelayan",
             "Aplikasi prakiraan cuaca laut dan peta zona potensi ikan untuk nelayan kecil.",
             ECON, "Kesejahteraan Masyarakat", INFO, "Program Pengelolaan Perikanan Tangkap",
             "Jumlah nelayan pengguna aplikasi", "orang", 200, 3000, 250 * JT,
             kode="3.25.02", pendukung="BMKG",
             manfaat="Nelayan mengetahui cuaca dan lokasi ikan sebelum melaut, lebih aman dan "
                     "hemat BBM."),
        Idea("Cold Storage dan Pemasaran Hasil Perikanan",
             "Gudang beku di pusat pendaratan ikan agar harga ikan tidak jatuh saat panen.",
             ECON, "Ekosistem Industri", INFRA,
             "Program Pengolahan dan Pemasaran Hasil Perikanan",
             "Kapasitas cold storage yang beroperasi", "ton", 0, 100, 4500 * JT,
             kode="3.25.05", dana="DAK", tahun=4),
        Idea("Budidaya Ikan dengan Sensor Kualitas Air",
             "Sensor oksigen dan suhu air untuk kelompok pembudidaya ikan.",
             ECON, "Ekosistem Industri", INFRA, "Program Pengelolaan Perikanan Budidaya",
             "Jumlah kelompok pembudidaya yang memakai sensor", "kelompok", 0, 25, 350 * JT,
             kode="3.25.03"),
    ),
    "Dispar": (
        Idea("Branding Destinasi Pesona {wilayah}",
             "Identitas merek destinasi, promosi digital dan paket wisata Pulau Mursala dan "
             "Titik Nol Barus.",
             BRAND, "Branding Pariwisata", SUPRA, "Program Pemasaran Pariwisata",
             "Jumlah kunjungan wisatawan", "orang", 150000, 400000, 1200 * JT,
             kode="3.26.03", pendukung="Disbud; Diskominfo",
             manfaat="Wisatawan menemukan paket wisata, homestay dan jadwal kapal ke pulau "
                     "di satu portal."),
        Idea("Portal Pariwisata dan Tiket Elektronik Objek Wisata",
             "Tiket masuk objek wisata dibeli daring dan tercatat sebagai pendapatan daerah.",
             BRAND, "Branding Pariwisata", INFO,
             "Program Peningkatan Daya Tarik Destinasi Pariwisata",
             "Jumlah objek wisata dengan tiket daring", "unit", 0, 12, 400 * JT,
             kode="3.26.02"),
        Idea("Desa Wisata Digital dan Homestay Terdaftar",
             "Pendampingan desa wisata, sertifikasi homestay dan pemasaran daring.",
             ECON, "Kesejahteraan Masyarakat", SUPRA,
             "Program Pengembangan Sumber Daya Pariwisata dan Ekonomi Kreatif",
             "Jumlah desa wisata bersertifikat", "desa", 2, 15, 600 * JT, kode="3.26.05"),
        Idea("Penataan Wajah Kawasan Wisata Pantai",
             "Penataan pedestrian, penerangan dan papan informasi di kawasan pantai.",
             BRAND, "Wajah Kota", INFRA, "Program Peningkatan Daya Tarik Destinasi Pariwisata",
             "Jumlah kawasan wisata pantai yang ditata", "kawasan", 0, 3, 3500 * JT,
             dana="APBD Provinsi", tahun=4),
        Idea("Inkubasi Kreator Konten Wisata",
             "Pelatihan dan pendampingan kreator konten untuk promosi destinasi.",
             ECON, "Ekosistem Industri", SUPRA,
             "Program Pengembangan Ekonomi Kreatif melalui Pemanfaatan dan Perlindungan Hak "
             "Kekayaan Intelektual",
             "Jumlah pelaku ekonomi kreatif yang dibina", "orang", None, 60, 250 * JT,
             kode="3.26.04", tetap=True),
    ),
    "Distan": (
        Idea("Kartu Tani Digital dan Pupuk Bersubsidi Tepat Sasaran",
             "Penebusan pupuk bersubsidi memakai kartu tani sesuai e-RDKK.",
             ECON, "Kesejahteraan Masyarakat", INFO,
             "Program Penyediaan dan Pengembangan Sarana Pertanian",
             "Persentase petani penerima pupuk bersubsidi yang terdata di e-RDKK", "%", 60,
             100, 300 * JT, kode="3.27.02",
             manfaat="Petani menebus pupuk bersubsidi di kios terdekat sesuai kuota, tanpa "
                     "kehabisan."),
        Idea("Penyuluhan Pertanian Daring",
             "Penyuluh membagikan materi, jadwal tanam dan peringatan hama melalui grup daring.",
             SOCIETY, "Ekosistem Belajar", INFO, "Program Penyuluhan Pertanian",
             "Jumlah kelompok tani yang mengikuti penyuluhan daring", "kelompok", 20, 300,
             250 * JT, kode="3.27.07"),
        Idea("Irigasi Tetes dan Sensor Kelembapan Tanah Hortikultura",
             "Irigasi hemat air dengan sensor kelembapan untuk sentra cabai dan bawang.",
             ECON, "Ekosistem Industri", INFRA,
             "Program Penyediaan dan Pengembangan Prasarana Pertanian",
             "Luas lahan hortikultura dengan irigasi pintar", "ha", 0, 120, 1400 * JT,
             kode="3.27.03", dana="DAK"),
    ),
    "Disperindag": (
        Idea("Pasar Rakyat Pintar dan Retribusi Non Tunai",
             "Retribusi pedagang pasar dibayar dengan QRIS; data pedagang dan kios tercatat.",
             ECON, "Ekosistem Transaksi Keuangan", INFO,
             "Program Peningkatan Sarana Distribusi Perdagangan",
             "Jumlah pasar rakyat yang menerapkan retribusi non tunai", "pasar", 0, 12,
             600 * JT, kode="3.30.03",
             manfaat="Pedagang membayar retribusi harian lewat QRIS dan mendapat bukti bayar "
                     "yang jelas."),
        Idea("Panel Harga dan Operasi Pasar Berbasis Data",
             "Pemantauan harian harga bahan pokok sebagai dasar operasi pasar.",
             ECON, "Kesejahteraan Masyarakat", INFO,
             "Program Stabilisasi Harga Barang Kebutuhan Pokok dan Barang Penting",
             "Jumlah komoditas yang dipantau harian", "komoditas", 10, 25, 120 * JT),
        Idea("Tera Ulang Alat Ukur dan Perlindungan Konsumen",
             "Tera ulang timbangan dan alat ukur pedagang dengan jadwal daring.",
             ECON, "Kesejahteraan Masyarakat", INFRA,
             "Program Standardisasi dan Perlindungan Konsumen",
             "Jumlah alat ukur yang ditera ulang", "unit", None, 2500, 200 * JT,
             kode="3.30.06", tetap=True),
        Idea("Sentra Industri Kecil Kemenyan dan Kelapa",
             "Sentra pengolahan kemenyan dan kelapa dengan peralatan bersama.",
             ECON, "Ekosistem Industri", INFRA, "Program Perencanaan dan Pembangunan Industri",
             "Jumlah IKM dalam sentra", "unit", 10, 80, 1500 * JT, kode="3.31.02", tahun=5),
    ),
    "Kec. Pandan": (
        Idea("Pelayanan Administrasi Terpadu Kecamatan (PATEN) Daring",
             "Permohonan surat dan rekomendasi kecamatan diajukan dan dipantau secara daring.",
             GOV, "Pelayanan Publik", INFO,
             "Program Penyelenggaraan Pemerintahan dan Pelayanan Publik",
             "Persentase layanan PATEN yang dapat diajukan daring", "%", 20, 100, 150 * JT,
             kode="7.01.02",
             manfaat="Warga mengurus surat rekomendasi kecamatan dalam 1 hari tanpa "
                     "bolak-balik."),
        Idea("Siskamling Kelurahan Berbasis Aplikasi",
             "Jadwal ronda dan laporan keamanan lingkungan dicatat melalui aplikasi.",
             SOCIETY, "Keamanan Masyarakat", SUPRA,
             "Program Pemberdayaan Masyarakat Desa dan Kelurahan",
             "Jumlah desa/kelurahan dengan siskamling aktif", "kelurahan", 2, 12, 90 * JT,
             kode="7.01.03"),
        Idea("Penataan Kebersihan dan Wajah Kota Kecamatan",
             "Penataan ruas jalan utama, taman kecil dan tempat sampah terpilah.",
             BRAND, "Wajah Kota", INFRA,
             "Program Penyelenggaraan Pemerintahan dan Pelayanan Publik",
             "Jumlah ruas jalan utama yang ditata", "ruas", 1, 8, 250 * JT),
    ),
}

# An OPD the table does not know (another regency's list) still plans sensibly.
GENERIC_IDEAS: tuple[Idea, ...] = (
    Idea("Digitalisasi Layanan {singkatan}",
         "Layanan utama {singkatan} dapat diajukan dan dipantau secara daring.",
         GOV, "Pelayanan Publik", INFO,
         "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota",
         "Persentase layanan {singkatan} yang dapat diakses daring", "%", 20, 100, 200 * JT,
         manfaat="Warga mengajukan layanan {singkatan} dari HP dan memantau prosesnya tanpa "
                 "datang ke kantor."),
    Idea("Data Sektoral {singkatan} di Portal Satu Data",
         "Dataset {singkatan} diterbitkan berkala dengan metadata baku.",
         GOV, "Kebijakan Publik", INFO,
         "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota",
         "Jumlah dataset {singkatan} yang terbit", "dataset", 5, 40, 100 * JT),
    Idea("Literasi Digital Aparatur {singkatan}",
         "Pelatihan pegawai memakai aplikasi kerja, keamanan informasi dan analisis data.",
         SOCIETY, "Ekosistem Belajar", SUPRA,
         "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota",
         "Jumlah pegawai yang dilatih", "orang", None, 30, 75 * JT, tetap=True),
    Idea("Efisiensi Energi Kantor {singkatan}",
         "Lampu hemat energi, panel surya atap dan pemantauan pemakaian listrik kantor.",
         ENV, "Tata Kelola Energi", INFRA,
         "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota",
         "Persentase penghematan listrik kantor", "%", 0, 25, 150 * JT, tahun=5),
)

# Kecamatan are alike: another kecamatan in the config plans what Kec. Pandan plans.
_KECAMATAN_IDEAS = IDEAS["Kec. Pandan"]

# Who fills the templates: planners of Tapanuli Tengah (Batak and pesisir names).
PLANNERS = (
    "Rahmat Hutagalung", "Siti Aminah Pasaribu", "Junaidi Tanjung", "Dewi Sartika Simatupang",
    "Ahmad Syafii Sitompul", "Roslina Panggabean", "Hendra Situmeang", "Nurhayati Pohan",
    "Fauzan Siregar", "Maria Simanjuntak", "Bonar Sihombing", "Yusnidar Lubis",
    "Irwansyah Marbun", "Lestari Hutabarat", "Parlindungan Nababan", "Fitri Rangkuti",
    "Syahrul Batubara", "Debora Situmorang", "Zulkifli Nasution", "Rina Marpaung",
    "Herman Tambunan", "Sri Wahyuni Harahap", "Togar Silaban", "Elvi Sinaga",
    "Muhammad Ridwan Tanjung", "Nelly Manalu", "Abdul Halim Pardede", "Juliana Hutapea",
)
POSITIONS = (
    "Perencana Ahli Muda", "Perencana Ahli Pertama", "Kepala Sub Bagian Perencanaan dan "
    "Keuangan", "Kepala Sub Bagian Umum dan Program", "Analis Kebijakan Ahli Muda",
    "Pranata Komputer Ahli Pertama",
)
REMARKS = (
    "Bertahap sesuai ketersediaan anggaran", "Lanjutan program tahun sebelumnya",
    "Kolaborasi dengan OPD pendukung", "Menunggu regulasi pusat", "Perlu pendampingan teknis",
)


# --- the demo's result ---------------------------------------------------------------------

class DemoFolderNotEmpty(Exception):
    """The demo folder holds something the demo must not overwrite (Indonesian message)."""


DITERIMA, DITOLAK, DIABAIKAN = "diterima", "ditolak", "diabaikan"


@dataclass
class Planted:
    """One mistake (or valid oddity) put into a file on purpose, and what should happen."""

    opd: str  # OPD code
    file: str  # path relative to inbox/
    description: str  # Indonesian, for the operator
    outcome: str  # the file's expected state: diterima | ditolak | diabaikan
    code: str | None = None  # expected problem code; None: read silently
    column: str | None = None  # Program column key
    cell: str | None = None  # A1 on the Program sheet
    row: int | None = None  # Excel row
    typed: Any = None  # what the participant typed
    expected: Any = None  # the value the pipeline should read (or the corrected value)


@dataclass
class DemoResult:
    workspace: workspace_mod.Workspace
    summary: RunSummary  # of the last run (round 2)
    first_summary: RunSummary  # of round 1
    silent: list[str]  # names of the OPDs that sent nothing
    silent_codes: list[str]
    mistakes: list[tuple[str, str]]  # (file in inbox/, description)
    planted: list[Planted]
    corrected: list[str]  # OPD codes rejected in round 1, corrected in round 2
    still_rejected: list[str]  # OPD codes still "perlu revisi"
    libreoffice_file: str | None  # file re-saved through LibreOffice, if any
    seed: int


# --- from ideas to rows -------------------------------------------------------------------

class _Placeholders(dict):
    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


def ideas_for(opd: Opd) -> tuple[Idea, ...]:
    """The OPD's program ideas: by singkatan; any kecamatan alike; else generic ones."""
    if opd.singkatan in IDEAS:
        return IDEAS[opd.singkatan]
    if "kecamatan" in opd.nama.casefold():
        return _KECAMATAN_IDEAS
    return GENERIC_IDEAS


def _choice(options: tuple[str, ...], wanted: str) -> str:
    """The config's spelling of wanted, or its first option when the config lacks it."""
    for option in options:
        if key(option) == key(wanted):
            return option
    return options[0]


def _dimension_and_element(cfg: Config, idea: Idea) -> tuple[str, str]:
    """The element decides (a config may move it); an unknown one falls back gracefully."""
    owner = {key(el): (dim, el) for dim, els in cfg.dimensions.items() for el in els}
    if key(idea.elemen) in owner:
        return owner[key(idea.elemen)]
    dims = list(cfg.dimensions)
    dimension = next((d for d in dims if key(d) == key(idea.dimensi)), None)
    if dimension is None:
        default_order = [GOV, BRAND, ECON, LIVING, SOCIETY, ENV]
        position = default_order.index(idea.dimensi) if idea.dimensi in default_order else 0
        dimension = dims[position % len(dims)]
    return dimension, cfg.dimensions[dimension][0]


def _round_amount(amount: float) -> int:
    """Planners write round numbers: 50 juta steps above a miliar, 5 juta above 100 juta."""
    step = 50 * JT if amount >= M else 5 * JT if amount >= 100 * JT else JT
    return max(step, round(amount / step) * step)


def _target(idea: Idea, step: int, span: int) -> int | float:
    if idea.tetap:
        value: float = idea.akhir
    else:
        start = idea.awal or 0
        value = start + (idea.akhir - start) * (step + 1) / span
    # Whole numbers when the target moves by at least one a year (35 -> 100 %), else
    # two decimals (an index from 2.6 to 4.0).
    spread = abs(idea.akhir - (idea.awal or 0))
    value = round(value) if idea.tetap or spread >= span else round(value, 2)
    return int(value) if float(value).is_integer() else value


def plan_rows(cfg: Config, opd: Opd, rng: random.Random, doc: str) -> list[dict[str, Any]]:
    """The rows this OPD's planner types: its ideas, one or two of them Quick Wins."""
    ideas = ideas_for(opd)
    text = _Placeholders(wilayah=cfg.region_short or cfg.region_name, singkatan=opd.singkatan,
                         nama=opd.nama)
    candidates = [i for i, idea in enumerate(ideas) if idea.manfaat] or [0]
    n_quick = 1 if len(candidates) == 1 else rng.choice((1, 2))
    quick = rng.sample(candidates, n_quick)
    # Habits differ per planner: some type "Tidak", some leave Quick Win blank (= Tidak);
    # some write "-" in the years they do not plan; most name the planning document.
    types_tidak = rng.random() < 0.6
    dash_for_nothing = rng.random() < 0.15
    names_doc = rng.random() < 0.7

    years = cfg.years
    rows = []
    for index, idea in enumerate(ideas):
        is_quick = index in quick
        if is_quick:
            # A Quick Win is carried out in the Quick Win year: plan starts there.
            start = years.index(cfg.quick_win_year)
            span = min(idea.tahun, len(years) - start)
        else:
            span = min(idea.tahun, len(years))
            start = min(rng.choice((0, 0, 0, 1, 2)), len(years) - span)
        growth = 1.05 if span > 3 else 1.0
        dimension, element = _dimension_and_element(cfg, idea)
        acuan = idea.acuan.format_map(text)
        row: dict[str, Any] = {
            "nama_program": idea.nama.format_map(text),
            "deskripsi": idea.deskripsi.format_map(text),
            "dimensi": dimension,
            "elemen": element,
            "jenis_program": _choice(cfg.program_types, idea.jenis),
            "acuan": f"{doc}: {acuan}" if names_doc else acuan,
            "kode_nomenklatur": idea.kode,
            "opd_pendukung": idea.pendukung.format_map(text) if idea.pendukung else None,
            "sumber_dana": _choice(cfg.funding_sources, idea.dana),
            "quick_win": "Ya" if is_quick else ("Tidak" if types_tidak else None),
            "indikator": idea.indikator.format_map(text),
            "satuan": idea.satuan,
            "kondisi_awal": idea.awal,
            "manfaat": idea.manfaat.format_map(text) if is_quick and idea.manfaat else None,
            "keterangan": rng.choice(REMARKS) if rng.random() < 0.25 else None,
        }
        if is_quick and not row["manfaat"]:
            row["manfaat"] = f"Layanan {opd.singkatan} lebih cepat dan mudah dirasakan warga."
        for step, year in enumerate(years):
            planned = start <= step < start + span
            if planned:
                k = step - start
                row[f"target_{year}"] = _target(idea, k, span)
                row[f"anggaran_{year}"] = _round_amount(
                    idea.anggaran * rng.uniform(0.9, 1.15) * growth**k)
            elif dash_for_nothing:
                row[f"anggaran_{year}"] = "-"
        rows.append({k: v for k, v in row.items() if v is not None})
    return rows


def _identity(rng: random.Random, planner: str, cfg: Config) -> dict[str, Any]:
    birth = dt.date(rng.randint(1972, 1994), rng.randint(1, 12), rng.randint(1, 28))
    appointed = f"{rng.randint(max(birth.year + 22, 1998), 2020)}{rng.randint(1, 12):02d}"
    nip = f"{birth:%Y%m%d}{appointed}{rng.randint(1, 2)}{rng.randint(1, 9):03d}"
    phone = f"08{rng.choice(('11', '12', '13', '21', '52', '53'))} " \
            f"{rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
    # The workshop: two days in November before the Quick Win year.
    day = dt.date(cfg.quick_win_year - 1, 11, 12) + dt.timedelta(days=rng.randint(0, 1))
    return {"nama_pengisi": planner, "nip": nip, "jabatan": rng.choice(POSITIONS),
            "kontak": phone, "tanggal": day}


# --- the mistakes participants make, one function each ----------------------------------

def _column_letter(cfg: Config, column: str) -> str:
    """The template lays out layout.program_columns in order (the reader finds them by label,
    so this only says where the demo typed a value)."""
    keys = [c.key for c in layout.program_columns(cfg)]
    return get_column_letter(keys.index(column) + 1)


def _cell(cfg: Config, column: str, index: int) -> str:
    """A1 of a Program cell; index 0 is the first data row."""
    return f"{_column_letter(cfg, column)}{layout.PROGRAM_FIRST_DATA_ROW + index}"


def _dotted(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _budget_years(cfg: Config, row: dict[str, Any]) -> list[int]:
    return [y for y in cfg.years if isinstance(row.get(f"anggaran_{y}"), int)
            and row[f"anggaran_{y}"] > 0]


def _program_indexes(rows: list[dict[str, Any]], quick: bool | None = None) -> list[int]:
    """Indexes of program rows (not blank or total rows), Quick Win or not when asked."""
    found = [i for i, r in enumerate(rows) if r.get("nama_program") and "dimensi" in r]
    if quick is None:
        return found
    return [i for i in found if (rows[i].get("quick_win") == "Ya") == quick] or found


@dataclass
class Submission:
    """One OPD's file as it arrives: rows, identity, name, and what was planted in it."""

    opd: Opd
    name: str  # path relative to inbox/
    rows: list[dict[str, Any]]
    identity: dict[str, Any]
    planted: list[Planted] = field(default_factory=list)
    clean_rows: list[dict[str, Any]] | None = None  # before the errors: the correction
    correction: str | None = None  # round-2 file name
    rename_header: tuple[str, str] | None = None
    libreoffice: bool = False
    lock_file: bool = False
    duplicate: str | None = None

    def plant(self, cfg: Config, description: str, outcome: str, code: str | None = None,
              column: str | None = None, index: int | None = None, typed: Any = None,
              expected: Any = None) -> None:
        cell = _cell(cfg, column, index) if column and index is not None else None
        row = layout.PROGRAM_FIRST_DATA_ROW + index if index is not None else None
        self.planted.append(Planted(self.opd.kode, self.name, description, outcome, code,
                                    column, cell, row, typed, expected))


def plant_rupiah_text(sub: Submission, cfg: Config) -> None:
    """Money typed the Indonesian way, as text: "Rp 1.200.000.000,-" (valid)."""
    first = None
    for index in _program_indexes(sub.rows)[:2]:
        for year in _budget_years(cfg, sub.rows[index]):
            amount = sub.rows[index][f"anggaran_{year}"]
            sub.rows[index][f"anggaran_{year}"] = f"Rp {_dotted(amount)},-"
            first = first or (index, year, amount)
    if first:
        index, year, amount = first
        typed = f"Rp {_dotted(amount)},-"
        sub.plant(cfg, f"Anggaran diketik sebagai teks '{typed}'; dibaca {_dotted(amount)}",
                  DITERIMA, None, f"anggaran_{year}", index, typed, amount)


def plant_juta_text(sub: Submission, cfg: Config) -> None:
    """Money in words: "250 juta" (valid)."""
    first = None
    for index in _program_indexes(sub.rows)[:2]:
        for year in _budget_years(cfg, sub.rows[index]):
            amount = sub.rows[index][f"anggaran_{year}"]
            sub.rows[index][f"anggaran_{year}"] = f"{amount // JT} juta"
            first = first or (index, year, amount)
    if first:
        index, year, amount = first
        typed = f"{amount // JT} juta"
        sub.plant(cfg, f"Anggaran ditulis '{typed}'; dibaca {_dotted(amount)}", DITERIMA,
                  None, f"anggaran_{year}", index, typed, amount)


def _as_miliar(amount: int) -> str:
    text = format((Decimal(amount) / M).normalize(), "f")
    return text.replace(".", ",") + " M"


def plant_miliar_text(sub: Submission, cfg: Config) -> None:
    """Money in miliar with a decimal comma: "2,25 M" (valid)."""
    first = None
    for index in _program_indexes(sub.rows)[:2]:
        for year in _budget_years(cfg, sub.rows[index]):
            # At most two decimals: "2,255 M" would be ambiguous (2,255 or 2.255?).
            amount = max(10 * JT, round(sub.rows[index][f"anggaran_{year}"] / (10 * JT)) * 10 * JT)
            sub.rows[index][f"anggaran_{year}"] = _as_miliar(amount)
            first = first or (index, year, amount)
    if first:
        index, year, amount = first
        typed = _as_miliar(amount)
        sub.plant(cfg, f"Anggaran ditulis '{typed}'; dibaca {_dotted(amount)}", DITERIMA,
                  None, f"anggaran_{year}", index, typed, amount)


def plant_case_forms(sub: Submission, cfg: Config) -> None:
    """Choices typed instead of picked: "smart living", "ya", "INFOSTRUKTUR" (valid)."""
    programs = _program_indexes(sub.rows)
    for index in programs:
        sub.rows[index]["dimensi"] = sub.rows[index]["dimensi"].lower()
        if sub.rows[index].get("quick_win") == "Ya":
            sub.rows[index]["quick_win"] = "ya"
    first = programs[0]
    sub.rows[first]["jenis_program"] = sub.rows[first]["jenis_program"].upper()
    typed = sub.rows[first]["dimensi"]
    sub.plant(cfg, f"Pilihan diketik, bukan dipilih: '{typed}', 'ya', "
                   f"'{sub.rows[first]['jenis_program']}' (huruf kecil/besar)", DITERIMA, None,
              "dimensi", first, typed, _choice(tuple(cfg.dimensions), typed))
    quick = next(i for i in programs if sub.rows[i].get("quick_win") == "ya")
    sub.plant(cfg, "Quick Win diketik 'ya' (huruf kecil)", DITERIMA, None, "quick_win", quick,
              "ya", "Ya")


def plant_nbsp(sub: Submission, cfg: Config) -> None:
    """Text pasted from Word carries non-breaking spaces (valid)."""
    index = _program_indexes(sub.rows)[0]
    row = sub.rows[index]
    canonical = row["dimensi"]
    row["dimensi"] = canonical.replace(" ", "\u00a0") + "\u00a0"
    row["jenis_program"] = row["jenis_program"] + "\u00a0"
    sub.plant(cfg, "Teks ditempel dari Word dengan spasi tak-putus (NBSP) pada Dimensi dan "
                   "Jenis Program", DITERIMA, None, "dimensi", index, row["dimensi"], canonical)
    year = _budget_years(cfg, row)[0]
    amount = row[f"anggaran_{year}"]
    row[f"anggaran_{year}"] = f"Rp\u00a0{_dotted(amount)}"
    sub.plant(cfg, f"Anggaran 'Rp {_dotted(amount)}' dengan spasi tak-putus (NBSP)", DITERIMA,
              None, f"anggaran_{year}", index, row[f"anggaran_{year}"], amount)


def plant_blank_rows(sub: Submission, cfg: Config) -> None:
    """Blank rows left between programs (valid: skipped, row numbers kept)."""
    if len(sub.rows) < 3:
        return
    sub.rows[2:2] = [{}]  # one blank row after the second program
    sub.rows[4:4] = [{}, {}]  # two more after the third
    blank = [layout.PROGRAM_FIRST_DATA_ROW + i for i, row in enumerate(sub.rows) if not row]
    # The program below the first blank row must keep its own Excel row number.
    after = 3
    sub.plant(cfg, f"Baris kosong di antara program (baris {', '.join(map(str, blank))})",
              DITERIMA, None, "nama_program", after, None, sub.rows[after]["nama_program"])


def plant_total_row(sub: Submission, cfg: Config) -> None:
    """A JUMLAH row typed under the table (warning; never summed twice)."""
    total: dict[str, Any] = {"nama_program": "JUMLAH"}
    for year in cfg.years:
        amounts = [r.get(f"anggaran_{year}") for r in sub.rows]
        total[f"anggaran_{year}"] = sum(a for a in amounts if isinstance(a, int))
    sub.rows.append(total)
    sub.plant(cfg, "Baris JUMLAH diketik di bawah tabel", DITERIMA, Code.BARIS_JUMLAH_DIABAIKAN,
              "nama_program", len(sub.rows) - 1, "JUMLAH")


def plant_signature_block(sub: Submission, cfg: Config) -> None:
    """Place, date, title, name and NIP typed under the table, as on every official
    document (one warning; never a program)."""
    place = cfg.region_short or cfg.region_name
    lines = [f"{place}, 12 Maret {cfg.first_year}", f"KEPALA {sub.opd.nama.upper()}", None,
             "Drs. Marihot Simanjuntak, M.Si", "Pembina Tk. I (IV/b)",
             "NIP. 19700101 199503 1 004"]
    sub.rows.append({})
    first = len(sub.rows)
    sub.rows += [{"nama_program": line} if line else {} for line in lines]
    sub.plant(cfg, "Blok tanda tangan (tempat, tanggal, jabatan, nama, NIP) diketik di bawah "
                   "tabel", DITERIMA, Code.TANDA_TANGAN_DIABAIKAN, "nama_program", first, lines[0])


def plant_wrong_element(sub: Submission, cfg: Config) -> None:
    """The Elemen copied from the row above, which belongs to another dimension (error)."""
    if len(cfg.dimensions) < 2:
        return  # one dimension: no element can belong to another
    programs = _program_indexes(sub.rows, quick=False)
    rows = sub.rows
    for index in programs:
        above = index - 1
        if above >= 0 and rows[above].get("dimensi") not in (None, rows[index]["dimensi"]):
            wrong, how = rows[above]["elemen"], "disalin dari baris di atasnya"
            break
    else:
        index = programs[0]
        dims = list(cfg.dimensions)
        other = dims[(dims.index(rows[index]["dimensi"]) + 1) % len(dims)]
        wrong, how = cfg.dimensions[other][0], "dari dimensi lain"
    correct = rows[index]["elemen"]
    rows[index]["elemen"] = wrong
    sub.plant(cfg, f"Elemen '{wrong}' ({how}) tidak termasuk {rows[index]['dimensi']}",
              DITOLAK, Code.ELEMEN_BUKAN_DIMENSI, "elemen", index, wrong, correct)


def plant_qw_without_target(sub: Submission, cfg: Config) -> None:
    """A Quick Win with its Quick Win year's target left blank (error)."""
    index = _program_indexes(sub.rows, quick=True)[0]
    column = f"target_{cfg.quick_win_year}"
    correct = sub.rows[index].pop(column, None)
    sub.plant(cfg, f"Quick Win tanpa Target {cfg.quick_win_year}", DITOLAK, Code.QW_TANPA_TARGET,
              column, index, None, correct)


def plant_ambiguous_amount(sub: Submission, cfg: Config) -> None:
    """A budget typed "1.5": 1,5 juta or 1,5 miliar? (error)."""
    index = _program_indexes(sub.rows, quick=False)[0]
    year = _budget_years(cfg, sub.rows[index])[0]
    correct = sub.rows[index][f"anggaran_{year}"]
    sub.rows[index][f"anggaran_{year}"] = "1.5"
    sub.plant(cfg, "Anggaran ditulis '1.5' (1,5 juta atau 1,5 miliar?)", DITOLAK, Code.UANG_AMBIGU,
              f"anggaran_{year}", index, "1.5", correct)


def plant_unknown_source(sub: Submission, cfg: Config) -> None:
    """A Sumber Dana typed from habit, not from the list: "APBD II" (error)."""
    programs = _program_indexes(sub.rows, quick=False)
    index = programs[1 % len(programs)]
    known = {key(s) for s in cfg.funding_sources}
    typed = next(t for t in ("APBD II", "PAD Kabupaten", "Dana Otsus X") if key(t) not in known)
    correct = sub.rows[index]["sumber_dana"]
    sub.rows[index]["sumber_dana"] = typed
    sub.plant(cfg, f"Sumber Dana '{typed}' tidak ada di daftar pilihan", DITOLAK,
              Code.PILIHAN_TIDAK_DIKENAL, "sumber_dana", index, typed, correct)


def _broken_code(code: str | None) -> str:
    parts = (code or "").split(".")
    if len(parts) >= 3 and parts[2].startswith("0"):
        parts[2] = parts[2][1:]  # "3.27.02" typed as "3.27.2"
        broken = ".".join(parts)
    else:
        broken = (code or "2.16.03") + ".1"
    return broken if not valid_nomenclature(broken) else "3.27.2"


def plant_bad_nomenclature(sub: Submission, cfg: Config) -> None:
    """A nomenclature code with a digit missing: "3.27.2" for "3.27.02" (error)."""
    programs = _program_indexes(sub.rows, quick=False)
    with_code = [i for i in programs if sub.rows[i].get("kode_nomenklatur")]
    index = (with_code or programs)[-1]
    correct = sub.rows[index].get("kode_nomenklatur")
    typed = _broken_code(correct)
    sub.rows[index]["kode_nomenklatur"] = typed
    sub.plant(cfg, f"Kode nomenklatur '{typed}' salah format (seharusnya U.BB.PP...)",
              DITOLAK, Code.KODE_NOMENKLATUR_SALAH, "kode_nomenklatur", index, typed, correct)


def plant_renamed_header(sub: Submission, cfg: Config) -> None:
    """The header 'Nama Program' renamed to the OPD's own word 'Nama Kegiatan' (error).

    SPEC 4 asks for KOLOM_BERUBAH at the header cell; the reader may instead report the
    column as missing (KOLOM_HILANG). Either way the file is rejected.
    """
    label = layout.label_for_key("nama_program")
    sub.rename_header = (label, "Nama Kegiatan")
    sub.planted.append(Planted(
        sub.opd.kode, sub.name, f"Judul kolom '{label}' diganti menjadi 'Nama Kegiatan'",
        DITOLAK, Code.KOLOM_BERUBAH, "nama_program",
        f"{_column_letter(cfg, 'nama_program')}{layout.PROGRAM_HEADER_ROW}",
        layout.PROGRAM_HEADER_ROW, "Nama Kegiatan", label))


Plant = Callable[[Submission, Config], None]


@dataclass(frozen=True)
class Scenario:
    """A file with planted mistakes; `prefer` is the default config's OPD for the story."""

    key: str
    prefer: str  # singkatan
    name: str  # file name pattern
    plants: tuple[Plant, ...] = ()
    correction: str | None = None  # round 2 sends this corrected file
    duplicate: str | None = None  # the same bytes also dropped under this name
    lock_file: bool = False
    libreoffice: bool = False


# In priority order: a config with few OPDs gets the first ones.
SCENARIOS = (
    Scenario("koreksi", "Dishub", "whatsapp/masterplan_{lower} (1).xlsx",
             (plant_wrong_element, plant_qw_without_target),
             correction="whatsapp/masterplan_{lower}_revisi.xlsx",
             duplicate="whatsapp/masterplan_{lower}.xlsx"),
    Scenario("tetap_ditolak", "Distan", "email/Masterplan SC {singkatan} {year}.xlsx",
             (plant_ambiguous_amount, plant_unknown_source, plant_bad_nomenclature)),
    Scenario("rupiah", "Dispar", "Rencana Program Smart City {singkatan}.xlsx",
             (plant_rupiah_text,)),
    Scenario("huruf", "Dinkes", "Renja SC {singkatan} final.xlsx", (plant_case_forms,),
             lock_file=True),
    Scenario("judul_kolom", "Dinas PUPR", "{template_stem}_isi.xlsx", (plant_renamed_header,)),
    Scenario("juta", "DLH", "whatsapp/{template}", (plant_juta_text,)),
    Scenario("miliar", "Disperkim", "email/{singkatan} masterplan.xlsx", (plant_miliar_text,)),
    Scenario("nbsp", "Bapperida", "{template}", (plant_nbsp,)),
    Scenario("baris_kosong", "Disdik", "{template_stem} (1).xlsx", (plant_blank_rows,)),
    Scenario("jumlah", "BPKAD", "{template}", (plant_total_row, plant_signature_block)),
    Scenario("libreoffice", "Diskominfo", "{template}", libreoffice=True),
)
# The flagship Quick Win (Disdukcapil's birth certificates) always arrives.
_ALWAYS_SUBMITS = {"Disdukcapil"}

# How the other files arrive: mostly as handed out, sometimes renamed or via WhatsApp.
NAME_PATTERNS = (
    "{template}", "{template}", "{template}", "{template_stem}_isi.xlsx",
    "Masterplan Smart City {singkatan}.xlsx", "{singkatan} - Rencana Program SC.xlsx",
    "FINAL {upper}.xlsx",
)
SUBFOLDERS = ("", "", "", "whatsapp/", "email/")


# --- the plan: who sends what ------------------------------------------------------------

def _random_pattern(rng: random.Random) -> str:
    return rng.choice(SUBFOLDERS) + rng.choice(NAME_PATTERNS)


@dataclass
class DemoPlan:
    submissions: list[Submission]
    silent: list[Opd]


def _file_name(pattern: str, opd: Opd, cfg: Config) -> str:
    from ..write.templates import template_filename

    template = template_filename(opd)
    short = re.sub(r'[\\/:*?"<>|]+', "-", opd.singkatan).strip()
    return pattern.format(template=template, template_stem=Path(template).stem,
                          singkatan=short, upper=short.upper(),
                          lower=re.sub(r"[^a-z0-9]+", "_", short.lower()).strip("_"),
                          year=cfg.first_year)


def _unique(name: str, used: set[str]) -> str:
    candidate, number = name, 2
    while candidate.casefold() in used:
        path = Path(name)
        candidate = str(path.with_name(f"{path.stem} ({number}){path.suffix}").as_posix())
        number += 1
    used.add(candidate.casefold())
    return candidate


def build_plan(cfg: Config, seed: int) -> DemoPlan:
    """Decide who sends what (no files written): deterministic for a seed and config."""
    rng = random.Random(seed)
    opds = list(cfg.opds)

    # A few OPDs send nothing; never the ones the story needs, when there are enough.
    n_silent = min(rng.randint(3, 5), len(opds) // 6)
    story = {s.prefer for s in SCENARIOS} | _ALWAYS_SUBMITS
    pool = [o for o in opds if o.singkatan not in story]
    if len(pool) < n_silent:
        pool = opds[len(opds) - n_silent:]
    chosen = rng.sample(pool, n_silent)
    silent = [o for o in opds if o in chosen]

    # Scenarios go to their preferred OPD when configured, else to the next free OPD.
    free = [o for o in opds if o not in silent]
    assigned: dict[str, Scenario] = {}
    for scenario in SCENARIOS:
        opd = next((o for o in free if o.singkatan == scenario.prefer), None)
        if opd and opd.kode not in assigned:
            assigned[opd.kode] = scenario
    for scenario in SCENARIOS:
        if scenario in assigned.values():
            continue
        opd = next((o for o in free if o.kode not in assigned
                    and o.singkatan not in _ALWAYS_SUBMITS), None)
        if opd is None:
            break  # fewer OPDs than scenarios: the later scenarios are left out
        assigned[opd.kode] = scenario

    planners = list(PLANNERS)
    rng.shuffle(planners)
    doc = "RPD" if "RPD" in cfg.reference_docs else cfg.reference_docs[0]
    used: set[str] = set()
    submissions = []
    for number, opd in enumerate(free):
        rows = plan_rows(cfg, opd, random.Random(f"{seed}:{opd.kode}"), doc)
        scenario = assigned.get(opd.kode)
        pattern = scenario.name if scenario else _random_pattern(rng)
        identity = _identity(rng, planners[number % len(planners)], cfg)
        sub = Submission(opd, _unique(_file_name(pattern, opd, cfg), used), rows, identity)
        if scenario:
            _apply(scenario, sub, cfg, used)
        submissions.append(sub)
    return DemoPlan(submissions, silent)


def _apply(scenario: Scenario, sub: Submission, cfg: Config, used: set[str]) -> None:
    if scenario.correction:
        sub.clean_rows = copy.deepcopy(sub.rows)
        sub.correction = _unique(_file_name(scenario.correction, sub.opd, cfg), used)
    for plant in scenario.plants:
        plant(sub, cfg)
    sub.libreoffice = scenario.libreoffice
    if scenario.lock_file:
        sub.lock_file = True
        lock = str(Path(sub.name).with_name("~$" + Path(sub.name).name).as_posix())
        sub.planted.append(Planted(sub.opd.kode, lock, "Berkas kunci Office (~$...) ikut "
                                   "tersalin karena berkas masih terbuka di Excel",
                                   DIABAIKAN, Code.BERKAS_KUNCI))
    if scenario.duplicate:
        sub.duplicate = _unique(_file_name(scenario.duplicate, sub.opd, cfg), used)
        sub.planted.append(Planted(sub.opd.kode, sub.duplicate, "Berkas yang sama terunduh dua "
                                   "kali dari WhatsApp", DIABAIKAN, Code.BERKAS_SAMA))


# --- writing files -----------------------------------------------------------------------

def _rename_header(path: Path, old: str, new: str) -> None:
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book[layout.SHEET_PROGRAM]
    for cell in sheet[layout.PROGRAM_HEADER_ROW]:
        if cell.value == old:
            cell.value = new
    book.save(path)


def _lock_bytes(owner: str) -> bytes:
    """Roughly what Excel leaves beside an open workbook: the owner's name, twice, padded."""
    ansi = owner[:53].encode("latin-1", "replace")
    wide = owner[:53].encode("utf-16-le")
    return bytes([len(ansi)]) + ansi.ljust(53, b" ") + wide.ljust(110, b"\x00")


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def resave_with_libreoffice(path: Path, soffice: str, work: Path) -> str | None:
    """Open and save `path` in place with headless LibreOffice; None, or why it failed.

    A private profile keeps it from clashing with a LibreOffice the operator has open.
    The process group is killed on timeout (soffice starts a child process).
    """
    source_dir, out_dir, profile = work / "lo_in", work / "lo_out", work / "lo_profile"
    source_dir.mkdir(parents=True, exist_ok=True)
    source = source_dir / "berkas.xlsx"  # a plain name: no quoting trouble on any platform
    shutil.copyfile(path, source)
    command = [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
               "--convert-to", "xlsx", "--outdir", str(out_dir), str(source)]
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   start_new_session=True)
    except OSError as exc:
        return f"LibreOffice tidak dapat dijalankan ({exc})"
    try:
        process.communicate(timeout=LIBREOFFICE_TIMEOUT)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        return f"LibreOffice tidak selesai dalam {LIBREOFFICE_TIMEOUT} detik"
    except BaseException:  # Ctrl-C: its own session does not get it, so stop it here
        _kill_group(process)
        raise
    result = out_dir / "berkas.xlsx"
    if process.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
        return f"LibreOffice gagal menyimpan berkas (kode {process.returncode})"
    shutil.copyfile(result, path)
    return None


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def _write_round_one(plan: DemoPlan, ws: workspace_mod.Workspace, soffice: str | None,
                     echo: Callable[[str], None]) -> str | None:
    """Drop every submission into inbox/; returns the file re-saved by LibreOffice."""
    from ..write.templates import template_filename
    from .filling import fill_plan

    libreoffice_file = None
    with tempfile.TemporaryDirectory(prefix="masterplan_demo_") as tmp:
        for sub in plan.submissions:
            target = ws.inbox / sub.name
            fill_plan(ws.templates / template_filename(sub.opd), target, sub.rows, sub.identity)
            if sub.rename_header:
                _rename_header(target, *sub.rename_header)
            if sub.libreoffice and soffice:
                why = resave_with_libreoffice(target, soffice, Path(tmp))
                if why:
                    echo(f"  Catatan: {why}; berkas {sub.name} dikirim tanpa LibreOffice.")
                else:
                    libreoffice_file = sub.name
                    sub.planted.append(Planted(
                        sub.opd.kode, sub.name, "Dibuka dan disimpan ulang dengan LibreOffice "
                        "Calc (bukan Excel)", DITERIMA))
            if sub.lock_file:
                lock = target.with_name("~$" + target.name)
                lock.write_bytes(_lock_bytes(sub.identity["nama_pengisi"]))
            if sub.duplicate:
                shutil.copyfile(target, ws.inbox / sub.duplicate)
    return libreoffice_file


def _write_correction(sub: Submission, ws: workspace_mod.Workspace) -> str:
    """Round 2: the participant fixes the marked cells in the feedback workbook and sends
    it back under a new name (as the feedback invites); without one, refills the template."""
    from openpyxl import load_workbook

    from ..workflow import FEEDBACK_DIR
    from ..write.feedback import feedback_name
    from ..write.templates import template_filename
    from .filling import fill_plan

    assert sub.correction and sub.clean_rows is not None
    target = ws.inbox / sub.correction
    feedback = ws.output / FEEDBACK_DIR / feedback_name(sub.name)
    fixes = [p for p in sub.planted if p.code and p.cell and p.row]
    how = "memperbaiki sel yang ditandai di berkas umpan balik"
    try:
        book = load_workbook(feedback)
        sheet = book[layout.SHEET_PROGRAM]
        for p in fixes:
            sheet[p.cell].value = p.expected
        book.save(target)
    except Exception:  # no feedback workbook (or unreadable): the participant starts over
        fill_plan(ws.templates / template_filename(sub.opd), target, sub.clean_rows,
                  sub.identity)
        how = "mengisi ulang template"
    return how


# --- the demo ----------------------------------------------------------------------------

_WORKSPACE_ENTRIES = (*workspace_mod.FOLDERS, workspace_mod.STATE_DIR, config_mod.CONFIG_NAME,
                      DEMO_MARKER)


def _prepare_folder(root: Path, force: bool) -> None:
    """Refuse a non-empty folder; with force, clear a previous demo (and only a demo)."""
    if root.exists() and not root.is_dir():
        raise DemoFolderNotEmpty(f"{root} adalah berkas, bukan folder. Pilih folder lain "
                                 "dengan --workspace.")
    if not root.exists() or not any(root.iterdir()):
        return
    if not force:
        raise DemoFolderNotEmpty(
            f"Folder {root} tidak kosong. Pilih folder lain dengan --workspace, atau tambahkan "
            "--force untuk menimpa demo sebelumnya di folder ini.")
    marker = root / DEMO_MARKER
    if marker.is_symlink() or not marker.is_file():
        raise DemoFolderNotEmpty(
            f"Folder {root} tidak kosong dan bukan folder demo (tidak ada {DEMO_MARKER}); "
            "isinya tidak dihapus, juga dengan --force, agar berkas sungguhan tidak hilang. "
            "Pilih folder kosong lain dengan --workspace.")
    for name in _WORKSPACE_ENTRIES:
        path = root / name
        if path.is_symlink() or path.is_file():
            path.unlink()  # a link is removed, never followed
        elif path.is_dir():
            shutil.rmtree(path)


def _marker_text(seed: int) -> str:
    return (
        "Folder ini dibuat oleh perintah `masterplan demo` sebagai contoh; isinya bukan data "
        "sungguhan.\n"
        f"Seed: {seed}. Perintah yang sama dengan seed yang sama menghasilkan isian yang "
        "sama.\n\n"
        "- templates_xlsx/  template per OPD\n"
        "- inbox/           berkas isian contoh, termasuk kesalahan yang biasa dibuat peserta\n"
        "- output/          rekap, laporan validasi dan umpan balik hasil proses\n\n"
        "`masterplan demo --force` boleh menghapus dan membuat ulang folder ini. Jangan "
        "menyimpan berkas sungguhan di sini.\n"
    )


def make_demo(root: Path, seed: int = 2024, force: bool = False,
              echo: Callable[[str], None] = print, use_libreoffice: bool | None = None,
              config_text: str | None = None) -> DemoResult:
    """Make a demo workspace in `root`, fill it as the OPDs would, run it twice.

    use_libreoffice: None uses LibreOffice when installed, False never, True insists
    (falling back with a note when it is missing or fails). config_text replaces the
    default config (another period, another OPD list). Raises DemoFolderNotEmpty.
    """
    from .. import workflow
    from ..write.templates import write_plan_templates

    root = Path(root)
    _prepare_folder(root, force)
    ws = workspace_mod.init(root, force=True, config_text=config_text)
    (root / DEMO_MARKER).write_text(_marker_text(seed), "utf-8")
    cfg = ws.load_config()
    echo(f"Membuat workspace demo di {root.resolve()} (seed {seed})")
    echo(f"  {cfg.region_name}, periode {cfg.period_label}, {len(cfg.opds)} OPD, Quick Win "
         f"{cfg.quick_win_year}")

    paths = write_plan_templates(cfg, ws.templates)
    echo(f"  {len(paths)} template ditulis ke templates_xlsx/")

    soffice = None
    if use_libreoffice is not False:
        soffice = find_soffice()
        if soffice is None and use_libreoffice:
            echo("  Catatan: LibreOffice tidak ditemukan; semua berkas disimpan seperti dari "
                 "Excel.")
    plan = build_plan(cfg, seed)
    echo(f"  Putaran 1: {len(plan.submissions)} OPD mengirim berkas ke inbox/, "
         f"{len(plan.silent)} OPD belum mengirim")
    libreoffice_file = _write_round_one(plan, ws, soffice, echo)
    echo("  Menjalankan pipeline (putaran 1) ...")
    first = workflow.run(ws)

    corrected, notes = [], []
    for sub in plan.submissions:
        if sub.correction:
            how = _write_correction(sub, ws)
            sub.planted.append(Planted(sub.opd.kode, sub.correction, f"Perbaikan dikirim ulang "
                                       f"setelah {how}", DITERIMA))
            corrected.append(sub.opd.kode)
            notes.append(f"{sub.opd.singkatan} mengirim perbaikan {sub.correction}")
    if notes:
        echo(f"  Putaran 2: {'; '.join(notes)}")
        echo("  Menjalankan pipeline (putaran 2) ...")
        last = workflow.run(ws)
    else:
        last = first

    planted = [p for sub in plan.submissions for p in sub.planted]
    status = {s.kode: s.status for s in last.statuses}
    result = DemoResult(
        workspace=ws, summary=last, first_summary=first,
        silent=[o.nama for o in plan.silent], silent_codes=[o.kode for o in plan.silent],
        mistakes=[(p.file, p.description) for p in planted], planted=planted,
        corrected=corrected,
        still_rejected=[s.opd.kode for s in plan.submissions
                        if status.get(s.opd.kode) == "perlu revisi"],
        libreoffice_file=libreoffice_file, seed=seed,
    )
    _tell(echo, result, root)
    return result


_OUTCOME_LABEL = {DITERIMA: "diterima", DITOLAK: "ditolak", DIABAIKAN: "diabaikan"}


def _tell(echo: Callable[[str], None], result: DemoResult, root: Path) -> None:
    """A short Indonesian account: what was planted, who is missing, where to look."""
    echo("")
    echo("Kesalahan dan kebiasaan peserta yang sengaja ditanam:")
    by_file: dict[str, list[Planted]] = {}
    for p in result.planted:
        by_file.setdefault(p.file, []).append(p)
    for file, found in by_file.items():
        outcome = _OUTCOME_LABEL[found[0].outcome]
        echo(f"  [{outcome}] {file}")
        for p in found:
            where = f" (sel {p.cell})" if p.cell else ""
            echo(f"      - {p.description}{where}")
    if result.silent:
        echo(f"Belum mengumpulkan: {', '.join(result.silent)}")
    counts: dict[str, int] = {}
    for s in result.summary.statuses:
        counts[s.status] = counts.get(s.status, 0) + 1
    echo("Status OPD: " + ", ".join(f"{n} {status}" for status, n in counts.items()))
    echo("")
    echo("Lihat hasilnya:")
    echo(f"  {root / 'output' / 'rekap_masterplan.xlsx'}   rekap per dimensi, OPD, sumber dana, "
         "Quick Win")
    echo(f"  {root / 'output' / 'laporan_validasi.xlsx'}   semua kesalahan dan peringatan")
    echo(f"  {root / 'output' / 'umpan_balik'}/   berkas peserta dengan sel bermasalah ditandai")
    echo(f"  masterplan status --workspace {root}")
