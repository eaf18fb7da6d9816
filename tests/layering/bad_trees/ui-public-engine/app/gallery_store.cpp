// ui-public-engine: the Qt glue in app/ reaching into the pipeline, and the public headers beside it.
#include <QFileInfo>
#include "engine/api/infotext.h"
#include "engine/catalog/database.h"
#include "engine/service/job.h"
#include "engine/pipeline/infotext.h"
