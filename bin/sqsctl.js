#!/usr/bin/env node
// Kept tiny on purpose: all logic lives in dist/main.js so start-up cost is one import.
import { main } from "../dist/main.js";

main();
