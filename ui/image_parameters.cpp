#include "ui/image_parameters.h"

#include <QCoreApplication>
#include <QFileInfo>

#include "engine/api/error.h"
#include "engine/image/image_file.h"
#include "engine/pipeline/infotext.h"
#include "engine/pipeline/infotext_request.h"

namespace easel::ui {

QStringList parameterImageSuffixes() { return {"png", "jpg", "jpeg", "webp"}; }

bool mayCarryParameters(const QString& path)
{
    return parameterImageSuffixes().contains(QFileInfo(path).suffix().toLower());
}

ImageParameters readImageParameters(const QString& path, const api::GenerationRequest& base)
{
    ImageParameters result;
    try {
        const std::string text = image::readParameters(path.toStdString());
        if (text.empty()) {
            result.error = QCoreApplication::translate(
                "easel::ui::ImageParameters", "%1 has no generation parameters (it was not made by A1111, "
                                              "civitai or Easel, or its metadata was stripped).")
                               .arg(QFileInfo(path).fileName());
            return result;
        }
        result.request = pipeline::requestFromInfotext(pipeline::parseInfotext(text), base);
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
