#include "app/output_naming.h"

#include <QFileInfo>

namespace easel::app {

QString fileNameSafe(const QString& text, int maxLength)
{
    QString out;
    for (const QChar c : text.simplified()) {
        // Windows' reserved set plus control characters; '/' would open a folder.
        if (c.unicode() < 32 || QStringLiteral("/\\:*?\"<>|").contains(c))
            out += QLatin1Char('_');
        else
            out += c;
    }
    out = out.left(maxLength).trimmed();
    while (out.endsWith(QLatin1Char('.')))
        out.chop(1);
    return out;
}

QString engineOutputPattern(const QString& settingsPattern, const api::GenerationRequest& request,
                            const QDateTime& startedAt)
{
    QString pattern = settingsPattern.trimmed();
    if (pattern.isEmpty())
        pattern = QStringLiteral("{index}-{seed}");
    const QString model = QFileInfo(QString::fromStdString(request.model)).completeBaseName();
    pattern.replace(QLatin1String("{time}"), startedAt.toString(QStringLiteral("HHmmss")))
        .replace(QLatin1String("{prompt}"), fileNameSafe(QString::fromStdString(request.prompt)))
        .replace(QLatin1String("{width}"), QString::number(request.width))
        .replace(QLatin1String("{height}"), QString::number(request.height))
        .replace(QLatin1String("{sampler}"), fileNameSafe(QString::fromStdString(request.sampler)))
        .replace(QLatin1String("{steps}"), QString::number(request.steps))
        .replace(QLatin1String("{model}"), fileNameSafe(model));
    return pattern + QStringLiteral(".png");
}

} // namespace easel::app
