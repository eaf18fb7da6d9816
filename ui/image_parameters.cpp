#include "ui/image_parameters.h"

#include <QCoreApplication>
#include <QFileInfo>

#include "engine/api/error.h"
#include "engine/api/image_files.h"
#include "engine/api/infotext.h"
#include "engine/api/prompt_info.h"

namespace easel::ui {

QStringList parameterImageSuffixes() { return {"png", "jpg", "jpeg", "webp"}; }

bool mayCarryParameters(const QString& path)
{
    return parameterImageSuffixes().contains(QFileInfo(path).suffix().toLower());
}

namespace {

void addLoraTags(const std::string& prompt, QStringList& names)
{
    for (const std::string& tag : api::loraNamesInPrompt(prompt)) {
        const QString name = QString::fromStdString(tag).trimmed();
        if (!name.isEmpty() && !names.contains(name, Qt::CaseInsensitive))
            names << name;
    }
}

/// `Lora hashes: "name: 0123456789ab, other: …"` names LoRAs even when the prompt tags were edited out.
void addLoraHashNames(const api::Infotext& infotext, QStringList& names)
{
    const auto hashes = infotext.get("Lora hashes");
    if (!hashes)
        return;
    for (const QString& entry : QString::fromStdString(*hashes).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString name = entry.section(QLatin1Char(':'), 0, 0).trimmed();
        if (!name.isEmpty() && !names.contains(name, Qt::CaseInsensitive))
            names << name;
    }
}

} // namespace

QStringList missingLoras(const QStringList& wanted, const QStringList& installed)
{
    QStringList missing;
    for (const QString& name : wanted)
        if (!installed.contains(name, Qt::CaseInsensitive))
            missing << name;
    return missing;
}

ImageParameters readImageParameters(const QString& path, const api::GenerationRequest& base)
{
    ImageParameters result;
    try {
        const std::string text = api::readParametersText(path.toStdString());
        if (text.empty()) {
            result.error = QCoreApplication::translate(
                "easel::ui::ImageParameters", "%1 has no generation parameters (it was not made by A1111, "
                                              "civitai or Easel, or its metadata was stripped).")
                               .arg(QFileInfo(path).fileName());
            return result;
        }
        const api::Infotext infotext = api::parseInfotext(text);
        result.text = QString::fromStdString(text);
        for (const auto& [key, value] : infotext.params) {
            QString name = QString::fromStdString(key);
            // The parser splits "Size: 768x512" into Size-1 / Size-2; people read it whole.
            if (name.endsWith(QLatin1String("-2")) && !result.fields.isEmpty()
                && result.fields.last().first == name.chopped(2) + QLatin1String("-1")) {
                result.fields.last().first = name.chopped(2);
                result.fields.last().second += QLatin1Char('x') + QString::fromStdString(value);
                continue;
            }
            result.fields.append({name, QString::fromStdString(value)});
        }
        addLoraTags(infotext.prompt, result.loras);
        addLoraTags(infotext.negativePrompt, result.loras);
        addLoraHashNames(infotext, result.loras);
        result.request = api::applyInfotext(infotext, base);
        result.ok = true;
    } catch (const api::Error& e) {
        result.error = QString::fromStdString(e.what());
    } catch (const std::exception& e) {
        result.error = QCoreApplication::translate("easel::ui::ImageParameters", "Could not read %1: %2")
                           .arg(QFileInfo(path).fileName(), QString::fromStdString(e.what()));
    }
    return result;
}

} // namespace easel::ui
