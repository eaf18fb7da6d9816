#include "engine/io/zip_reader_io.h"

#include <algorithm>
#include <cstring>

#include "engine/io/mapped_file.h"

namespace easel::io {

namespace {

struct Cursor {
    const MappedFile* file;
    uint64_t pos = 0;
};

voidpf ZCALLBACK openCb(voidpf opaque, const void*, int mode)
{
    if ((mode & ZLIB_FILEFUNC_MODE_READWRITEFILTER) != ZLIB_FILEFUNC_MODE_READ)
        return nullptr; // read-only: the mapping is never written through minizip
    return new Cursor{static_cast<const MappedFile*>(opaque)};
}

uLong ZCALLBACK readCb(voidpf, voidpf stream, void* buf, uLong size)
{
    auto* c = static_cast<Cursor*>(stream);
    const uint64_t total = c->file->size();
    const uint64_t n = c->pos >= total ? 0 : std::min<uint64_t>(size, total - c->pos);
    std::memcpy(buf, c->file->data() + c->pos, n);
    c->pos += n;
    return static_cast<uLong>(n);
}

uLong ZCALLBACK writeCb(voidpf, voidpf, const void*, uLong) { return 0; }

ZPOS64_T ZCALLBACK tellCb(voidpf, voidpf stream) { return static_cast<Cursor*>(stream)->pos; }

long ZCALLBACK seekCb(voidpf, voidpf stream, ZPOS64_T offset, int origin)
{
    auto* c = static_cast<Cursor*>(stream);
    const uint64_t total = c->file->size();
    uint64_t base = 0;
    switch (origin) {
    case ZLIB_FILEFUNC_SEEK_SET: base = 0; break;
    case ZLIB_FILEFUNC_SEEK_CUR: base = c->pos; break;
    case ZLIB_FILEFUNC_SEEK_END: base = total; break;
    default: return -1;
    }
    // Offsets come from the (untrusted) archive: refuse positions outside the file instead of
    // letting a later read start there.
    if (offset > total || base > total - offset)
        return -1;
    c->pos = base + offset;
    return 0;
}

int ZCALLBACK closeCb(voidpf, voidpf stream)
{
    delete static_cast<Cursor*>(stream);
    return 0;
}

int ZCALLBACK errorCb(voidpf, voidpf) { return 0; }

} // namespace

unzFile openMappedZip(const MappedFile& file)
{
    zlib_filefunc64_def io{};
    io.zopen64_file = openCb;
    io.zread_file = readCb;
    io.zwrite_file = writeCb;
    io.ztell64_file = tellCb;
    io.zseek64_file = seekCb;
    io.zclose_file = closeCb;
    io.zerror_file = errorCb;
    io.opaque = const_cast<MappedFile*>(&file);
    return unzOpen2_64(file.path().c_str(), &io);
}

} // namespace easel::io
