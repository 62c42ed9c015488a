// The one runtime import of @anthropic-ai/sdk. It is bundled on its own (dist/sdk.js) and loaded
// by the client factory on first use, so that activating the extension never parses the SDK.
import Anthropic from '@anthropic-ai/sdk';

export { Anthropic };
export {
  AnthropicError,
  APIError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
} from '@anthropic-ai/sdk';
