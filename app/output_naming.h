#pragma once
/// File names of generated images: the Settings pattern ({index} {seed} {date} {time} {model}
/// {prompt} {width} {height} {sampler} {steps}, no extension) turned into the pattern
/// EngineController expands per image ({date} {seed} {index} {model}, with extension). Any thread.

#include <QDateTime>
#include <QString>

#include "engine/api/request.h"

namespace easel::app {

/// Fills the placeholders that depend on the request or the start time, keeps the per-image ones
/// for the controller and appends ".png". Text from the prompt is made safe for file names.
QString engineOutputPattern(const QString& settingsPattern, const api::GenerationRequest& request,
                            const QDateTime& startedAt);

/// `text` with characters that file systems or shells dislike replaced by '_', trimmed to `maxLength`.
QString fileNameSafe(const QString& text, int maxLength = 60);

} // namespace easel::app
