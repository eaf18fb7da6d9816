#pragma once
// A minimal EXIF block carrying only UserComment (tag 0x9286 in the Exif sub-IFD), the field A1111
// uses for JPEG and WebP infotext, plus the reader for it. Encoding "UNICODE\0" + UTF-16 like
// piexif.helper.UserComment.dump(..., encoding="unicode") that A1111 calls. Plain C++; any thread.

#include <optional>
#include <string>
#include <vector>

namespace easel::image {

/// TIFF-structured EXIF payload (starts with "MM\0*"), without the "Exif\0\0" prefix.
std::vector<unsigned char> buildExifUserComment(const std::string& utf8);

/// Finds UserComment in a TIFF-structured EXIF payload; nullopt when absent or damaged.
std::optional<std::string> parseExifUserComment(const unsigned char* data, size_t size);

/// Inserts an APP1 EXIF segment right after SOI of a JPEG.
std::vector<unsigned char> jpegWithExif(const std::vector<unsigned char>& jpeg, const std::vector<unsigned char>& exif);
/// Adds an EXIF chunk to a WebP (converting a simple VP8/VP8L file to the extended VP8X form).
std::vector<unsigned char> webpWithExif(const std::vector<unsigned char>& webp, const std::vector<unsigned char>& exif,
                                        int width, int height);

/// The EXIF payload of a JPEG (APP1 "Exif\0\0") or WebP ("EXIF" chunk); empty when absent.
std::vector<unsigned char> findExif(const std::vector<unsigned char>& file);

} // namespace easel::image
