#include "app/aspect_presets.h"

namespace easel::app {

int baseResolution(const QString& family)
{
    if (family.startsWith(QLatin1String("SDXL"), Qt::CaseInsensitive)
        || family.startsWith(QLatin1String("SD3"), Qt::CaseInsensitive))
        return 1024;
    if (family.startsWith(QLatin1String("SD2"), Qt::CaseInsensitive))
        return 768;
    return 512;
}

QVector<AspectPreset> aspectPresets(const QString& family)
{
    const int base = baseResolution(family);
    if (base == 1024) {
        // SDXL training buckets closest to the common ratios (all about 1024² pixels, multiples of 64).
        return {{QStringLiteral("1:1"), 1024, 1024},  {QStringLiteral("9:7"), 1152, 896},
                {QStringLiteral("7:9"), 896, 1152},   {QStringLiteral("3:2"), 1216, 832},
                {QStringLiteral("2:3"), 832, 1216},   {QStringLiteral("7:4"), 1344, 768},
                {QStringLiteral("4:7"), 768, 1344},   {QStringLiteral("12:5"), 1536, 640},
                {QStringLiteral("5:12"), 640, 1536}};
    }
    if (base == 768) {
        return {{QStringLiteral("1:1"), 768, 768},  {QStringLiteral("4:3"), 896, 672},
                {QStringLiteral("3:4"), 672, 896},  {QStringLiteral("3:2"), 960, 640},
                {QStringLiteral("2:3"), 640, 960},  {QStringLiteral("16:9"), 1024, 576},
                {QStringLiteral("9:16"), 576, 1024}};
    }
    // SD1: 512 on the short side is what A1111 users habitually pick; 1:1 and 4:3 stay near 512².
    return {{QStringLiteral("1:1"), 512, 512},  {QStringLiteral("4:3"), 576, 448},
            {QStringLiteral("3:4"), 448, 576},  {QStringLiteral("3:2"), 768, 512},
            {QStringLiteral("2:3"), 512, 768},  {QStringLiteral("16:9"), 912, 512},
            {QStringLiteral("9:16"), 512, 912}};
}

} // namespace easel::app
