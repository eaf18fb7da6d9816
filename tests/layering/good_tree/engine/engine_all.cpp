// Files directly in engine/ are not in the folder graph.
#include "engine/pipeline/generator.h"
#include "engine/core/rng.h"
