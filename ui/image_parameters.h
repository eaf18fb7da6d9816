#pragma once
/// "Apply parameters from an image": the A1111 `parameters` text of a PNG/JPEG/WebP as a request.
/// Plain function for the thread pool (reading a large file must not stall the window). Any thread.

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include "engine/api/request.h"

namespace easel::ui {

struct ImageParameters {
    bool ok = false;
    api::GenerationRequest request;  ///< `base` with what the text says applied
    QString error;                   ///< why nothing could be applied (for a notice)
    QString text;                    ///< the raw `parameters` text, as stored in the file
    /// The parameter line as written (key, value), in its order — what PNG Info lists.
    QList<QPair<QString, QString>> fields;
    /// LoRA names the image uses: `<lora:…>` / `<lyco:…>` tags of both prompts, then `Lora hashes`.
    QStringList loras;
};

/// File suffixes that may carry A1111 parameters.
QStringList parameterImageSuffixes();
bool mayCarryParameters(const QString& path);

/// Reads the file's parameters text and parses it onto `base` (A1111 defaults for missing fields).
ImageParameters readImageParameters(const QString& path, const api::GenerationRequest& base);

/// The names of `wanted` that `installed` lacks (case-insensitive, as A1111 looks LoRAs up).
QStringList missingLoras(const QStringList& wanted, const QStringList& installed);

} // namespace easel::ui
