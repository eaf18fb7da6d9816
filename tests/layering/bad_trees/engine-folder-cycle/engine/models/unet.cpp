// engine-folder-cycle: models -> pipeline closes the cycle.
#include "engine/pipeline/sampling_pass.h"
#include "engine/core/rng.h"
