// app/ may include the engine's public surface: api, catalog, service.
#include <QFileInfo>
#include "engine/api/infotext.h"
#include "engine/catalog/database.h"
#include "engine/service/output_naming.h"
