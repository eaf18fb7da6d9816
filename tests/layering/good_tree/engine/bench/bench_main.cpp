// The bench may include anything in the engine.
#include "engine/pipeline/generator.h"
#include "engine/bench/fixtures.h"
