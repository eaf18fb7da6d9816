#pragma once
/// minizip reads through callbacks; these serve it bytes from a memory mapping, so listing a
/// multi-GB checkpoint reads only its headers and nothing is copied. Internal to zip_reader.cpp.

#include <cstdint>

#include <minizip/unzip.h>

namespace easel::io {

class MappedFile;

/// Opens `file` for minizip (nullptr when minizip finds no zip end record). Each handle has its own
/// read position, so handles on one mapping may be used from different threads. Close with unzClose.
unzFile openMappedZip(const MappedFile& file);

} // namespace easel::io
