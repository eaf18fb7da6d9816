// Qt Core/Gui and the service in the adapter.
#include <QObject>
#include <QImage>
#include "engine/service/generation_service.h"
