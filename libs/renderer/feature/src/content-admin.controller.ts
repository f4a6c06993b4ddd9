import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Put,
  UseGuards,
} from '@nestjs/common';
import { AdminTokenGuard } from '@kairos/service-kit';
import { ContentAdminService } from './content-admin.service';
import {
  ContentKey,
  CreateTemplateVersionDto,
  SaveBlockDto,
  SaveBrandDto,
  SaveVariantDto,
  parseBody,
  parseRuleBody,
} from './dto/content-admin.dto';
import { RendererErrorCode, RendererException } from './renderer.exception';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The content admin API (admin token required): brands, blocks and their variants, template
 * versions (create draft → approve), and content rules. Bodies are JSON; errors say what was
 * wrong (a template that does not compile lists every MJML/Liquid problem).
 */
@Controller('admin')
@UseGuards(AdminTokenGuard)
export class ContentAdminController {
  constructor(private readonly admin: ContentAdminService) {}

  @Get('brands')
  brands() {
    return this.admin.listBrands();
  }

  @Put('brands/:key')
  async saveBrand(@Param('key') key: string, @Body() body: unknown) {
    const dto = valid(parseBody(SaveBrandDto, body));
    await http(() => this.admin.saveBrand(keyOf(key), dto));
    return { key, ...dto };
  }

  @Get('blocks')
  blocks() {
    return this.admin.listBlocks();
  }

  @Put('blocks/:key')
  async saveBlock(@Param('key') key: string, @Body() body: unknown) {
    const dto = valid(parseBody(SaveBlockDto, body));
    await http(() => this.admin.saveBlock(keyOf(key), dto));
    return { key, ...dto };
  }

  @Put('blocks/:key/variants/:variant')
  async saveVariant(
    @Param('key') key: string,
    @Param('variant') variant: string,
    @Body() body: unknown,
  ) {
    const dto = valid(parseBody(SaveVariantDto, body));
    await http(() => this.admin.saveVariant(keyOf(key), keyOf(variant), dto));
    return { block: key, variant, ...dto };
  }

  @Get('templates/:name/versions')
  versions(@Param('name') name: string) {
    return http(() => this.admin.listVersions(keyOf(name)));
  }

  @Post('templates/:name/versions')
  createVersion(@Param('name') name: string, @Body() body: unknown) {
    const dto = valid(parseBody(CreateTemplateVersionDto, body));
    return http(() => this.admin.createVersion(keyOf(name), dto));
  }

  @Post('templates/:name/versions/:version/approve')
  @HttpCode(200)
  approve(@Param('name') name: string, @Param('version') version: string) {
    if (!/^[1-9]\d{0,8}$/.test(version))
      throw new BadRequestException(`version must be a positive integer, got "${version}"`);
    return http(() => this.admin.approve(keyOf(name), Number(version)));
  }

  @Get('rules')
  rules() {
    return this.admin.listRules();
  }

  @Post('rules')
  createRule(@Body() body: unknown) {
    const dto = valid(parseRuleBody(body));
    return http(() => this.admin.createRule(dto));
  }

  @Put('rules/:id')
  updateRule(@Param('id') id: string, @Body() body: unknown) {
    const dto = valid(parseRuleBody(body));
    return http(() => this.admin.updateRule(uuidOf(id), dto));
  }

  @Delete('rules/:id')
  @HttpCode(204)
  async deleteRule(@Param('id') id: string): Promise<void> {
    await http(() => this.admin.deleteRule(uuidOf(id)));
  }
}

function valid<T>(parsed: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!parsed.ok) throw new BadRequestException(parsed.error);
  return parsed.value;
}

function keyOf(value: string): string {
  const parsed = ContentKey.safeParse(value);
  if (!parsed.success)
    throw new BadRequestException(`"${value.slice(0, 64)}": ${parsed.error.issues[0].message}`);
  return value;
}

function uuidOf(value: string): string {
  if (!UUID.test(value)) throw new BadRequestException('rule id must be a UUID');
  return value.toLowerCase();
}

/** The feature's exceptions as HTTP answers. */
async function http<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof RendererException)) throw error;
    switch (error.code) {
      case RendererErrorCode.NotFound:
        throw new NotFoundException(error.message);
      case RendererErrorCode.Conflict:
        throw new ConflictException(error.message);
      case RendererErrorCode.Invalid:
      case RendererErrorCode.TemplateInvalid:
        throw new BadRequestException(error.message);
    }
  }
}
