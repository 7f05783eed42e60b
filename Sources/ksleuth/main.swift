// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthCommands

KsleuthCommand.runFromCommandLine()
