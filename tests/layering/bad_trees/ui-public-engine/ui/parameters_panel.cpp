// ui-public-engine: an internal engine header in a widget.
#include "engine/api/infotext.h"
#include "engine/pipeline/infotext.h"
