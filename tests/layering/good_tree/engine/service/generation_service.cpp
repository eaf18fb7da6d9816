// A service source may include the catalog and the pipeline.
#include "engine/service/generation_service.h"
#include "engine/catalog/database.h"
#include "engine/pipeline/generator.h"
