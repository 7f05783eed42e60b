// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import KsleuthCommands

KsleuthCommand.main()
