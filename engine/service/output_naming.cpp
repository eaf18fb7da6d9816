#include "engine/service/output_naming.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

#include "engine/api/error.h"
#include "engine/core/utf8.h"

namespace easel::service {

namespace fs = std::filesystem;

namespace {

std::string formatTime(std::time_t t, const char* format)
{
    std::tm local{};
    localtime_r(&t, &local);
    char buffer[32];
    return std::strftime(buffer, sizeof buffer, format, &local) ? buffer : "";
}

std::string padded(int value, int width)
{
    std::string s = std::to_string(value);
    return s.size() < static_cast<std::size_t>(width) ? std::string(width - s.size(), '0') + s : s;
}

void replaceAll(std::string& s, const std::string& key, const std::string& value)
{
    for (std::size_t pos = 0; (pos = s.find(key, pos)) != std::string::npos; pos += value.size())
        s.replace(pos, key.size(), value);
}

std::string lowerExtension(const std::string& path)
{
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return ext;
}

/// `path` or, when taken, `stem-2.ext`, `stem-3.ext`, … (never overwrite a finished image).
std::string freeName(const fs::path& path)
{
    std::error_code ec;
    if (!fs::exists(path, ec))
        return path.string();
    for (int n = 2;; ++n) {
        fs::path candidate = path.parent_path() / (path.stem().string() + "-" + std::to_string(n) + path.extension().string());
        if (!fs::exists(candidate, ec))
            return candidate.string();
    }
}

} // namespace

std::string fileNameSafe(const std::string& text, std::size_t maxLength)
{
    std::string out;
    bool space = false;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') { // simplified white space
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        // Windows' reserved set plus control characters; '/' would open a folder.
        out += (c < 32 || std::string_view("/\\:*?\"<>|").find(ch) != std::string_view::npos) ? '_' : ch;
    }
    out.resize(core::utf8Prefix(out, maxLength).size());
    while (!out.empty() && (out.back() == '.' || out.back() == ' '))
        out.pop_back();
    return out;
}

NameFields nameFieldsFor(const api::GenerationRequest& request, std::int64_t seed, int index)
{
    NameFields f;
    f.seed = seed;
    f.index = index;
    f.model = fs::path(request.model).stem().string();
    f.prompt = request.prompt;
    f.sampler = request.sampler;
    f.width = request.width;
    f.height = request.height;
    f.steps = request.steps;
    f.time = std::time(nullptr);
    return f;
}

std::string expandNamePattern(const std::string& pattern, const NameFields& f)
{
    std::string s = pattern.empty() ? kDefaultNamePattern : pattern;
    replaceAll(s, "{date}", formatTime(f.time, "%Y-%m-%d"));
    replaceAll(s, "{time}", formatTime(f.time, "%H%M%S"));
    replaceAll(s, "{seed}", std::to_string(f.seed));
    replaceAll(s, "{index}", padded(f.index, 5));
    replaceAll(s, "{model}", fileNameSafe(f.model));
    replaceAll(s, "{prompt}", fileNameSafe(f.prompt));
    replaceAll(s, "{sampler}", fileNameSafe(f.sampler));
    replaceAll(s, "{width}", std::to_string(f.width));
    replaceAll(s, "{height}", std::to_string(f.height));
    replaceAll(s, "{steps}", std::to_string(f.steps));
    const fs::path p(s);
    if (p.is_absolute())
        throw api::Error(api::ErrorCode::InvalidRequest, "the file name pattern '" + pattern +
                                                             "' is an absolute path; it must stay inside the output folder");
    for (const auto& part : p)
        if (part == "..")
            throw api::Error(api::ErrorCode::InvalidRequest,
                             "the file name pattern '" + pattern + "' climbs out of the output folder (\"..\")");
    return s;
}

int nextImageIndex(const std::string& folder)
{
    int next = 0;
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        std::size_t digits = 0;
        while (digits < name.size() && digits < 9 && std::isdigit(static_cast<unsigned char>(name[digits])))
            ++digits;
        if (digits > 0)
            next = std::max(next, std::stoi(name.substr(0, digits)) + 1);
    }
    return next;
}

std::string outputExtension(const OutputOptions& options)
{
    if (!options.exactPath.empty()) {
        const std::string ext = lowerExtension(options.exactPath);
        return ext.empty() ? ".png" : ext;
    }
    if (options.format == "jpg" || options.format == "jpeg")
        return ".jpg";
    if (options.format == "webp")
        return ".webp";
    return ".png";
}

std::string outputPathFor(const OutputOptions& options, const std::string& defaultFolder,
                          const api::GenerationRequest& request, std::int64_t seed, int indexInJob, int imagesInJob)
{
    if (!options.exactPath.empty()) {
        fs::path p(options.exactPath);
        if (p.extension().empty())
            p += ".png";
        if (imagesInJob > 1) // one name for several images: number them
            p = p.parent_path() / (p.stem().string() + "-" + padded(indexInJob, 5) + p.extension().string());
        return options.overwrite ? p.string() : freeName(p);
    }
    const fs::path folder = options.folder.empty() ? fs::path(defaultFolder) : fs::path(options.folder);
    // {index} is the running number of the folder the image lands in, which the pattern may choose.
    NameFields fields = nameFieldsFor(request, seed, 0);
    const std::string probe = expandNamePattern(options.pattern, fields);
    fields.index = nextImageIndex((folder / fs::path(probe).parent_path()).string());
    const fs::path path = folder / (expandNamePattern(options.pattern, fields) + outputExtension(options));
    return freeName(path);
}

} // namespace easel::service
