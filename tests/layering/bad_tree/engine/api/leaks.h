#pragma once
#include <torch/torch.h>
#include <QString>
