"""Every uploaded file is bounded here before anything reads it.

* :class:`SizeLimitUploadHandler` (settings.FILE_UPLOAD_HANDLERS, first): no uploaded file is kept past
  :data:`MAX_UPLOAD_BYTES`; the rest of it is dropped while it arrives and the form sees a
  :class:`TooLargeUpload`, refused with a clear message.
* :class:`LimitedFileField` / :class:`LimitedImageField`: the form fields of every upload form, with their
  own size limit; an Office file (.xlsx, .docx) is refused when its zip members would unpack to too much
  (:func:`check_archive`: a 5 MB workbook with a huge shared-strings table took 1.45 GB to parse), an image
  when it has too many pixels (:func:`check_image`: a 164 KB 13000×13000 PNG took 800 MB to decode).
"""

import io
import warnings
import zipfile
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _
from PIL import Image

MB = 1024 * 1024
MAX_UPLOAD_BYTES = 25 * MB  # no form accepts more; the web server should refuse larger bodies first
MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel photo
# Office files (zip archives of XML): the unpacked size, per member and in all, and the packing ratio.
OFFICE_EXTENSIONS = (".xlsx", ".docx")
MAX_UNPACKED_TOTAL = 120 * MB
MAX_UNPACKED_MEMBER = 60 * MB  # a 20,000-row register sheet is ~20 MB
MAX_RATIO = 100  # XML packs 5–20 times; a bomb packs hundreds of times
RATIO_FROM = MB  # small members may pack better (empty styles, repeated tags)
MAX_MEMBERS = 2000

# Pillow itself refuses images of more than twice this many pixels (DecompressionBombError) and warns above it.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS


def _mb(n):
    return f"{n / MB:.0f} MB" if n >= MB else f"{max(n // 1024, 1)} KB"


def _name(upload):
    return Path(getattr(upload, "name", "") or "").name


def check_size(upload, max_bytes):
    if getattr(upload, "too_large", False) or upload.size > max_bytes:
        raise ValidationError(
            _("The file %(name)s is larger than %(max)s; please send a smaller file.")
            % {"name": _name(upload), "max": _mb(max_bytes)}
        )


def check_archive(source, *, max_total=MAX_UNPACKED_TOTAL, max_member=MAX_UNPACKED_MEMBER, max_ratio=MAX_RATIO,
                  name=""):  # fmt: skip
    """Refuse a zip archive (an .xlsx or .docx) that would unpack to too much. ``source``: bytes or a file
    (read from its start, left at its start). A file that is not a zip is left to its reader to refuse."""
    if isinstance(source, (bytes, bytearray)):
        source = io.BytesIO(source)
    name = name or _name(source)
    start = source.tell() if hasattr(source, "tell") else 0
    try:
        source.seek(0)
        try:
            infos = zipfile.ZipFile(source).infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return
    finally:
        source.seek(start)
    refusal = _(
        "The file %(name)s would take %(size)s once unpacked, more than the system accepts (%(max)s). "
        "Please save it again with Word or Excel, or split it into several files."
    )
    if len(infos) > MAX_MEMBERS:
        raise ValidationError(
            _("The file %(name)s has too many parts (%(n)s) to be a Word or Excel file.")
            % {"name": name, "n": len(infos)}
        )
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > max_member:
            raise ValidationError(refusal % {"name": name, "size": _mb(info.file_size), "max": _mb(max_member)})
        if info.file_size > RATIO_FROM and info.file_size > max_ratio * max(info.compress_size, 1):
            raise ValidationError(
                _(
                    "The file %(name)s is packed abnormally tightly (%(ratio)s times): it cannot be a normal Word "
                    "or Excel file, and the system does not open it."
                )
                % {"name": name, "ratio": info.file_size // max(info.compress_size, 1)}
            )
    if total > max_total:
        raise ValidationError(refusal % {"name": name, "size": _mb(total), "max": _mb(max_total)})


def check_image(upload, max_pixels=MAX_IMAGE_PIXELS):
    """Refuse an image of more than ``max_pixels``, from its header, before anything decodes it."""
    start = upload.tell()
    try:
        upload.seek(0)
        with warnings.catch_warnings():  # Pillow warns above MAX_IMAGE_PIXELS: refused below, not decoded
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as im:
                width, height = im.size
    except Image.DecompressionBombError:
        width = height = None
    except Exception:  # not an image: the image field says so
        return
    finally:
        upload.seek(start)
    if width is None or width * height > max_pixels:
        raise ValidationError(
            _("The image is too large (%(size)s pixels); please send a photo of at most %(max)s megapixels.")
            % {
                "size": f"{width}×{height}" if width else _("more than %(n)s million") % {"n": 2 * max_pixels // 10**6},
                "max": max_pixels // 10**6,
            }
        )


def open_image(upload, max_pixels=MAX_IMAGE_PIXELS):
    """``Image.open`` of an upload, after :func:`check_image`."""
    check_image(upload, max_pixels)
    upload.seek(0)
    return Image.open(upload)


# ---- form fields --------------------------------------------------------------------------------------------
class LimitedFileField(forms.FileField):
    """A file of at most ``max_bytes``; an Office file (by its name) is checked with :func:`check_archive`."""

    def __init__(self, *args, max_bytes, archive_limits=None, **kwargs):
        self.max_bytes = max_bytes
        self.archive_limits = archive_limits or {}
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if data and getattr(data, "too_large", False):  # before Django's empty-file check
            check_size(data, self.max_bytes)
        f = super().clean(data, initial)
        if f and f is not initial and hasattr(f, "size"):
            check_size(f, self.max_bytes)
            if _name(f).lower().endswith(OFFICE_EXTENSIONS):
                check_archive(f, name=_name(f), **self.archive_limits)
        return f


class LimitedImageField(forms.ImageField):
    """An image of at most ``max_bytes`` and :data:`MAX_IMAGE_PIXELS`, checked before Django opens it."""

    def __init__(self, *args, max_bytes, max_pixels=MAX_IMAGE_PIXELS, **kwargs):
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels
        super().__init__(*args, **kwargs)

    def to_python(self, data):
        if data and hasattr(data, "size"):
            check_size(data, self.max_bytes)
            check_image(data, self.max_pixels)
        return super().to_python(data)


# ---- the upload handler -------------------------------------------------------------------------------------
class TooLargeUpload(UploadedFile):
    """What the form receives for a file cut off at :data:`MAX_UPLOAD_BYTES`: its name and size, no content."""

    too_large = True

    def __init__(self, name, content_type, size):
        super().__init__(io.BytesIO(), name=name, content_type=content_type, size=size)


class SizeLimitUploadHandler(FileUploadHandler):
    """Keeps no more than :data:`MAX_UPLOAD_BYTES` of any one file: the handlers after it (memory, temporary
    file) stop receiving its data there, and the form gets a :class:`TooLargeUpload` to refuse."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        before = self.received
        self.received += len(raw_data)
        if self.received <= MAX_UPLOAD_BYTES:
            return raw_data
        if before <= MAX_UPLOAD_BYTES:  # the part the next handlers kept (in memory, a temporary file) goes
            handlers = getattr(self.request, "upload_handlers", [])
            for handler in handlers[handlers.index(self) + 1 :] if self in handlers else []:
                f = getattr(handler, "file", None)
                if f is not None:
                    f.close()
        return None  # dropped: not passed on to the next handlers

    def file_complete(self, file_size):
        if self.received > MAX_UPLOAD_BYTES:
            return TooLargeUpload(self.file_name, self.content_type, self.received)
        return None
