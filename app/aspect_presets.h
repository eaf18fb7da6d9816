#pragma once
/// Width × height presets per model family: the sizes each family was trained at (SD1 around 512²,
/// SD2-768 around 768², SDXL's 1024² aspect buckets). Any thread.
///
/// Ref: SDXL report (Podell et al. 2023) appendix, multi-aspect training buckets.

#include <QString>
#include <QVector>

namespace easel::app {

struct AspectPreset {
    QString ratio;   ///< "1:1", "3:2", …
    int width = 0;
    int height = 0;
};

/// Presets for "SD1", "SD2", "SDXL" (also "SDXL refiner"); unknown families get SD1's.
QVector<AspectPreset> aspectPresets(const QString& family);
/// The family's square base size (512, 768 or 1024).
int baseResolution(const QString& family);

} // namespace easel::app
