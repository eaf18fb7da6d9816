#include "ui/common/image_mime.h"

#include <QMimeData>
#include <QVariant>

namespace easel::ui {

QImage imageDataIn(const QMimeData* mime)
{
    if (!mime || !mime->hasImage())
        return {};
    return qvariant_cast<QImage>(mime->imageData());
}

} // namespace easel::ui
