// Qt Core/Gui and the service in the adapter; as app's engine adapter it may also use an internal
// engine header (ui-public-engine does not cover it).
#include <QObject>
#include <QImage>
#include "engine/service/generation_service.h"
#include "engine/pipeline/progress_tracker.h"
