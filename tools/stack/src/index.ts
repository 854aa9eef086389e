// @foxhound/stack: runs the whole Foxhound system on one machine (make demo, make up, the end-to-end
// tests and the gateway benchmark use it).
export { freePort, startProcess, stopProcess, waitUntilReady, type ServiceProcess } from './processes';
export { entry, startStack, type RunMode, type RunningStack, type StackOptions } from './stack';
