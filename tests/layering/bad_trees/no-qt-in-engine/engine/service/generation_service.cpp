// no-qt-in-engine: Qt in the service.
#include "engine/service/generation_service.h"
#include <QString>
