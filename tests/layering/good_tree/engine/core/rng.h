#pragma once
// A self edge (core -> core) is ignored.
#include "engine/core/runtime.h"
