// The SDK's own types under short names. Type-only: importing this file loads nothing.
import type Anthropic from '@anthropic-ai/sdk';

export type MessageBatch = Anthropic.Messages.Batches.MessageBatch;
export type MessageBatchRequestCounts = Anthropic.Messages.Batches.MessageBatchRequestCounts;
export type MessageBatchIndividualResponse = Anthropic.Messages.Batches.MessageBatchIndividualResponse;
export type MessageBatchResult = Anthropic.Messages.Batches.MessageBatchResult;
export type DeletedMessageBatch = Anthropic.Messages.Batches.DeletedMessageBatch;
export type BatchCreateParams = Anthropic.Messages.Batches.BatchCreateParams;
export type BatchRequest = Anthropic.Messages.Batches.BatchCreateParams.Request;
export type ProcessingStatus = MessageBatch['processing_status'];
