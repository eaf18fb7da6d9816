// engine-folder-cycle: pipeline -> controlnet, pipeline -> core.
#include "engine/pipeline/generator.h"
#include "engine/controlnet/control_session.h"
#include "engine/core/rng.h"
