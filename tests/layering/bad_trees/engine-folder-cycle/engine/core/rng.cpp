// A self edge (core -> core) is not a cycle.
#include "engine/core/rng.h"
