// ui-public-engine: the GUI executable is in app/ too; engine/core is internal.
#include <QApplication>
#include "engine/api/runtime.h"
#include "engine/core/runtime.h"
