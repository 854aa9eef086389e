// The sandbox contract for the local backend without isolation (the fastest run of the contract).
import { describeBackendContract } from '../../testing/backend-contract';
import { localHarness } from '../../testing/local-harness';

describeBackendContract('local/none', () => localHarness('none'));
