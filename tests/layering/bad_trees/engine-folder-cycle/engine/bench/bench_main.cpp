// bench -> pipeline leads into the cycle but is not on it.
#include "engine/pipeline/generator.h"
