// tests/ is not scanned: tests may include anything.
#include <QtTest>
#include <QWidget>
#include <torch/torch.h>
#include "engine/bench/fixtures.h"
#include "engine/pipeline/generator.h"
