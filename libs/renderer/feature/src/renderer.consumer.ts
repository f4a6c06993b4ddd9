import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { MessageRequested, Topics, parseContract } from '@kairos/contracts';
import { PermanentError } from '@kairos/messaging';
import { SendMessageUseCase, type SendResult } from './send-message.use-case';

/** Kafka handler of the renderer: validate the request, hand it to the use case. */
@Controller()
export class RendererConsumer {
  constructor(private readonly sendMessage: SendMessageUseCase) {}

  @EventPattern(Topics.MessagesRequested)
  async onMessageRequested(@Payload() payload: unknown): Promise<SendResult> {
    const parsed = parseContract(MessageRequested, payload);
    if (!parsed.ok) throw new PermanentError('SCHEMA_VIOLATION', parsed.summary);
    return this.sendMessage.execute(parsed.value);
  }
}
